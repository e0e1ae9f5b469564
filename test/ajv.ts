import { Ajv2020 } from 'ajv/dist/2020.js';

// Formats are each validator's choice (2020-12 only annotates them by default); only standard names may appear.
const STANDARD_FORMATS = ['date-time', 'date', 'time', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uri-reference', 'uuid', 'regex'];

/** A JSON Schema 2020-12 validator in strict mode. A union of primitive types (`type: [..]`) is valid 2020-12 that strict mode only wants announced. */
export const strictAjv = () =>
  new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, formats: Object.fromEntries(STANDARD_FORMATS.map((name) => [name, true])) });
