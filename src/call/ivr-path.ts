import { z } from 'zod';

/**
 * IVR paths come in five documented spellings (`ivr2:/1/2`, `ivr2:1/2`, `ivr/1/2`, `/1/2`, `1/2`) and the API
 * answers in a sixth (`ivr/1/2`). Every path field takes any of them and sends one: `ivr2:/1/2`. The root goes
 * as `/`, the one root spelling documented for the folder commands (GetIVR2Dir, GetIVR2DirStats).
 * Campaign files (`tpl:ID`, `tpl:ID:tts`, `tpl:ID:MoreInfo`) are pseudo-paths and go as they are.
 */
const PREFIX = /^(?:ivr2:|ivr\/|ext\/)/i;
const TEMPLATE_FILE = /^tpl:\d+(?::(?:tts|MoreInfo))?$/i;
// What a segment may hold: anything but separators, control characters and the characters Yemot's file system
// rejects; Hebrew names are common.
const BAD_SEGMENT = /[\u0000-\u001f\\:*?"<>|]/;

export type PathCheck = { ok: true; path: string } | { ok: false; problem: string };

export function canonicalIvrPath(value: string): PathCheck {
  const trimmed = value.trim();
  if (TEMPLATE_FILE.test(trimmed)) return { ok: true, path: trimmed };
  const bare = trimmed.replace(PREFIX, '').replace(/^\/+/, '').replace(/\/$/, '');
  if (bare === '') return { ok: true, path: '/' };
  const segments = bare.split('/');
  if (segments.some((segment) => segment === '')) return { ok: false, problem: 'has an empty segment (//)' };
  if (segments.some((segment) => segment === '.' || segment === '..')) return { ok: false, problem: 'must not contain . or .. segments' };
  if (segments.some((segment) => BAD_SEGMENT.test(segment))) return { ok: false, problem: 'has a character a Yemot path cannot hold' };
  return { ok: true, path: `ivr2:/${segments.join('/')}` };
}

/** Which schemas hold IVR paths: table-wide tests find every path field by it. */
export const PATH_FIELDS = new WeakSet<z.ZodType>();

/** A path field: any documented spelling in, the canonical one out; `..` and empty segments refused. */
export function ivrPath(what: string) {
  const schema = z
    .string()
    .min(1)
    .max(500)
    .transform((value, ctx) => {
      const checked = canonicalIvrPath(value);
      if (checked.ok) return checked.path;
      ctx.addIssue({ code: 'custom', message: checked.problem });
      return z.NEVER;
    })
    .describe(`${what} (1/2 or ivr2:/1/2)`);
  PATH_FIELDS.add(schema);
  return schema;
}
