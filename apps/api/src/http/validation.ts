import { ArgumentMetadata, UnsupportedMediaTypeException, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, UseCaseError } from '@sg/domain';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * A body @fastify/multipart attached (attachFieldsToBody): every part refers back to the body, so
 * the pipe's walk over it would recurse until the stack overflows.
 */
function isMultipartBody(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.values(value).some((v) =>
    (Array.isArray(v) ? v : [v]).some(
      (part) => part !== null && typeof part === 'object' && (part as { fields?: unknown }).fields === value,
    ),
  );
}

class WhitelistingValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && isMultipartBody(value))
      throw new UnsupportedMediaTypeException('This operation takes a JSON body: send it as application/json');
    return super.transform(value, metadata);
  }
}

/**
 * Whitelisting validation: unknown fields are refused (not silently dropped), types are checked
 * without implicit conversion, and every problem is listed with its field. A multipart body where
 * JSON is expected is refused with 415.
 */
export function whitelistingValidationPipe(): ValidationPipe {
  return new WhitelistingValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new UseCaseError('invalid', 'validation_failed', 'Some fields are not valid', flatten(errors)),
  });
}
