/** The `next` a sign-in may return to: a path on this site, never another origin. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) && next.length < 300 ? next : '/';
}
