import { Param, PipeTransform } from '@nestjs/common';
import { UseCaseError } from '@sg/domain';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id in the path that is not a UUID names nothing: 404, like any other unknown id. */
class UuidOrNotFound implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!UUID.test(value)) throw UseCaseError.notFound('The resource');
    return value.toLowerCase();
  }
}

export const UuidParam = (name: string) => Param(name, new UuidOrNotFound());
