import { z } from 'zod';

/**
 * IVR paths come in five documented spellings (`ivr2:/1/2`, `ivr2:1/2`, `ivr/1/2`, `/1/2`, `1/2`): the prefix
 * `ivr2:` and the API's own answer form `ivr/`, one of them, once. Every path field takes any of them and sends
 * one: `ivr2:/1/2`. The root goes as `/`, the one root spelling documented for the folder commands (GetIVR2Dir,
 * GetIVR2DirStats). `ext/1` is a folder named ext (GetIVR2DirStats: "ext/1 for extension ext/1"), and a root
 * folder named ivr is `ivr2:/ivr/…`. Campaign files (`tpl:ID`, `tpl:ID:tts`, `tpl:ID:MoreInfo`) are pseudo-paths
 * and go as they are.
 */
// `ivr/` only as the API writes it: a root folder named IVR stays a folder.
const PREFIX = /^(?:[iI][vV][rR]2:|ivr\/)/;
const TEMPLATE_FILE = /^tpl:\d+(?::(?:tts|MoreInfo))?$/i;
// What a segment may hold: anything but separators, control characters and the characters Yemot's file system
// rejects; Hebrew names are common.
const BAD_SEGMENT = /[\u0000-\u001f\u007f/\\:*?"<>|]/;
export const ROOT = '/';

/**
 * Why one path segment (or file name) is refused, or undefined. Checked in NFKC as well: a server that folds
 * `．．` or `․․` (U+2024) into `..`, or `／` into `/`, would otherwise be led out of the folder named.
 */
export function segmentProblem(segment: string): string | undefined {
  const folded = segment.normalize('NFKC');
  if (segment === '') return 'has an empty segment (//)';
  if (folded === '.' || folded === '..') return 'must not contain . or .. segments (look-alike dots included)';
  if (BAD_SEGMENT.test(segment) || BAD_SEGMENT.test(folded)) return 'has a character a Yemot path cannot hold';
  return undefined;
}

// Most file systems take at most 255 bytes in one name.
const MAX_NAME_BYTES = 255;

/** Why a file's own name (an upload's) is refused: it must be one segment, or the server may read a path in it. */
export function fileNameProblem(name: string): string | undefined {
  if (segmentProblem(name)) return 'must be one name (not . or .., no / \\ : * ? " < > | or control characters)';
  const bytes = Buffer.byteLength(name, 'utf8');
  return bytes > MAX_NAME_BYTES ? `must be at most ${MAX_NAME_BYTES} bytes of UTF-8 (got ${bytes})` : undefined;
}

/** A file name field: one segment, as fileNameProblem says. */
export const fileName = (what: string) =>
  z
    .string()
    .min(1)
    .max(MAX_NAME_BYTES)
    .superRefine((value, ctx) => {
      const problem = fileNameProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .describe(what);

/**
 * UploadFile's own names for a template's files (API forum post 472): `ID.wav` the voice message, `ID.tts` the SMS
 * text, `ID-MoreInfo.wav` the message before bridging, without ivr2: (FileAction and the text commands take tpl:).
 */
export function campaignUploadPath(path: string): string | undefined {
  const match = /^tpl:(\d+)(?::(tts|MoreInfo))?$/i.exec(path);
  if (!match) return undefined;
  return match[2] === undefined ? `${match[1]}.wav` : match[2].toLowerCase() === 'tts' ? `${match[1]}.tts` : `${match[1]}-MoreInfo.wav`;
}

export type PathCheck = { ok: true; path: string } | { ok: false; problem: string };

export function canonicalIvrPath(value: string): PathCheck {
  const trimmed = value.trim();
  if (TEMPLATE_FILE.test(trimmed)) return { ok: true, path: trimmed };
  const bare = trimmed.replace(PREFIX, '').replace(/^\/+/, '').replace(/\/$/, '');
  if (bare === '') return { ok: true, path: ROOT };
  const segments = bare.split('/');
  const problem = segments.map(segmentProblem).find(Boolean);
  return problem ? { ok: false, problem } : { ok: true, path: `ivr2:/${segments.join('/')}` };
}

/** Which schemas hold IVR paths: table-wide tests find every path field by it. */
// Of `object`, not `z.ZodType`: checking a pipe against the generic ZodType costs the typecheck a second.
export const PATH_FIELDS = new WeakSet<object>();

/**
 * A path field: any documented spelling in, the canonical one out; `..` and empty segments refused. A field that
 * names a file (`file: true`) refuses the root folder: deleting, moving or overwriting it is never meant.
 */
export function ivrPath(what: string, options: { file?: boolean } = {}) {
  const schema = z
    .string()
    .min(1)
    .max(500)
    .transform((value, ctx) => {
      const checked = canonicalIvrPath(value);
      if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.problem });
      else if (options.file && checked.path === ROOT) ctx.addIssue({ code: 'custom', message: 'names the root folder; give a file path, e.g. 1/000.wav' });
      else return checked.path;
      return z.NEVER;
    })
    .describe(what);
  PATH_FIELDS.add(schema);
  return schema;
}
