import { z } from 'zod';
import { tool } from './command.js';

export const accountTools = [
  tool({
    name: 'get_pirsum_phone_status',
    command: 'PirsumPhoneManagement',
    toolset: 'account',
    effect: 'read',
    summary: 'Tell whether the system is registered to the Pirsum Phone advertising service.',
    actions: { GetRegistrationStatus: {} },
    params: {},
    output: { registrationStatus: z.boolean() },
    examples: [{}],
  }),
  tool({
    name: 'set_pirsum_phone_registration',
    command: 'PirsumPhoneManagement',
    toolset: 'account',
    effect: 'write',
    summary: 'Register the system to, or remove it from, the Pirsum Phone advertising service.',
    actions: { Registration: {}, UnRegistration: {} },
    params: {},
    output: { results: z.unknown() },
    verifyWith: 'get_pirsum_phone_status',
    examples: [
      { action: 'Registration' },
      { action: 'UnRegistration' },
    ],
  }),
];
