import { ValidationOptions, registerDecorator } from 'class-validator';
import Decimal from 'decimal.js';

// A decimal string (or number) strictly greater than zero with at most 4 decimal places.
export function IsPositiveDecimal(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPositiveDecimal',
      target: target.constructor,
      propertyName,
      options: {
        message: `${propertyName} must be a number greater than 0 with at most 4 decimals`,
        ...options,
      },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'string' && typeof value !== 'number') return false;
          try {
            const d = new Decimal(value);
            return d.isFinite() && d.gt(0) && d.decimalPlaces() <= 4 && d.lt('1e15');
          } catch {
            return false;
          }
        },
      },
    });
}
