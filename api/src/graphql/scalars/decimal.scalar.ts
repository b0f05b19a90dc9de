import Decimal from 'decimal.js';
import { GraphQLScalarType, Kind } from 'graphql';

const DECIMAL = /^-?\d+(\.\d+)?$/;

// Exact decimals travel as strings so no client or server step rounds through a float.
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number as a string, e.g. "1234.50"; inputs may also be numbers',
  // Canonical text: no exponent, no trailing zeros ("10.0000" from a numeric column becomes "10")
  serialize(value) {
    if (typeof value === 'string' || typeof value === 'number' || value instanceof Decimal)
      return new Decimal(value).toFixed();
    throw new TypeError('Decimal cannot represent this value');
  },
  parseValue(value) {
    const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
    if (typeof text !== 'string' || !DECIMAL.test(text.trim()))
      throw new TypeError('Decimal must be a number or a numeric string');
    return text.trim();
  },
  parseLiteral(ast) {
    if ((ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) && DECIMAL.test(ast.value))
      return ast.value;
    throw new TypeError('Decimal must be a number or a numeric string');
  },
});
