import { TestStack } from './stack';

/** A signed-in page session over plain HTTP: the session cookie and the page's CSRF token. */
export class PageSession {
  cookie = '';
  constructor(private readonly s: TestStack) {}

  /** The CSRF token a page carries in its forms. */
  async csrf(from: string): Promise<string> {
    return /name="_csrf" value="([^"]+)"/.exec((await this.get(from)).html)?.[1] ?? '';
  }

  async get(path: string): Promise<{ status: number; html: string }> {
    const res = await fetch(this.s.baseUrl + path, { headers: { cookie: this.cookie }, redirect: 'manual' });
    this.keep(res);
    return { status: res.status, html: await res.text() };
  }

  async post(
    path: string,
    form: Record<string, string>,
    from = path,
  ): Promise<{ status: number; location: string | null; html: string }> {
    const page = await this.get(from);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.html)?.[1] ?? '';
    const res = await fetch(this.s.baseUrl + path, {
      method: 'POST',
      headers: { cookie: this.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form, _csrf: csrf }).toString(),
      redirect: 'manual',
    });
    this.keep(res);
    return { status: res.status, location: res.headers.get('location'), html: await res.text() };
  }

  async signIn(email: string, password: string): Promise<void> {
    const r = await this.post('/sign-in', { email, password }, '/sign-in');
    expect(r.status).toBe(303);
  }

  private keep(res: Response): void {
    const set = res.headers.get('set-cookie');
    const m = set ? /sg_session=[^;]+/.exec(set) : null;
    if (m) this.cookie = m[0];
  }
}
