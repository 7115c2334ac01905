import { FieldProblem, UseCaseError, UseCaseErrorKind } from '@sg/domain';

/** RFC 9457 problem details, as every error of the API is sent. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldProblem[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const STATUS: Record<UseCaseErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  throttled: 429,
  unavailable: 503,
};

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not signed in',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  409: 'Conflict',
  413: 'Request too large',
  414: 'Address too long',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  428: 'Precondition required',
  429: 'Too many requests',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export function problem(status: number, code: string, detail: string, errors?: FieldProblem[]): Problem {
  return {
    type: `https://small-grants.org/problems/${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

export function problemFromUseCaseError(e: UseCaseError): Problem {
  return problem(STATUS[e.kind], e.code, e.message, e.fields);
}

/**
 * Errors Fastify's router raises before any handler (an address that is not valid percent-encoding,
 * a path segment over the router's limit): answered as problem+json like every other error.
 */
export function routerProblem(error: { code?: string }): Problem {
  return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? problem(414, 'address_too_long', 'A part of the address is too long: no identifier here is that long')
    : problem(400, 'bad_address', 'The address is not valid: check it is typed or copied correctly');
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (a request line or headers over
 * 16 KB, a malformed request): answered as problem+json on the raw socket, as Fastify's default
 * handler answers them in its own JSON.
 */
export function clientErrorResponse(error: { code?: string }): string {
  const p =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? problem(431, 'headers_too_large', 'The address or the headers are too long (16 KB at most)')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? problem(408, 'request_timeout', 'The request took too long to arrive')
        : problem(400, 'bad_request', 'The request is not valid HTTP');
  const body = JSON.stringify(p);
  return `HTTP/1.1 ${p.status} ${STATUS_TEXT[p.status]}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};
