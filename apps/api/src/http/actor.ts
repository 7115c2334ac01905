import { CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, UseCaseError } from '@sg/domain';
import { ApiTokens } from '@sg/identity';
import type { FastifyRequest } from 'fastify';

const PUBLIC = 'small-grants:public';
/** Marks a route that needs no identity (health, documentation). Everything else does. */
export const Public = () => SetMetadata(PUBLIC, true);

type WithActor = FastifyRequest & { actor?: Actor };

/** Every route requires a bearer API token unless marked @Public(). */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokens,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<WithActor>();
    const header = req.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await this.tokens.authenticate(match[1]) : null;
    if (!actor)
      throw new UseCaseError(
        'unauthenticated',
        'not_signed_in',
        'Send a valid API token as "Authorization: Bearer <token>"',
      );
    req.actor = actor;
    return true;
  }
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<WithActor>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});

/** Reads an If-Match header ("3", "v3" or W/"v3") as an expected version. */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '' || ifMatch.trim() === '*') return undefined;
  const m = /^(?:W\/)?"?v?(\d{1,9})"?$/.exec(ifMatch.trim());
  if (!m)
    throw new UseCaseError('invalid', 'invalid_if_match', 'If-Match must be a version ETag such as "v3"', [
      { field: 'If-Match', message: 'not a version' },
    ]);
  return Number(m[1]);
}
