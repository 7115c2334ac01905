import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldProblem, UseCaseError } from '@sg/domain';

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Whitelisting validation: unknown fields are refused (not silently dropped), types are checked
 * without implicit conversion, and every problem is listed with its field. (A multipart body never
 * reaches it: only upload routes take one, and read it themselves; see http/multipart.ts.)
 */
export function whitelistingValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
