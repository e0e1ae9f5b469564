/**
 * Shapes of the ext.ini reference tables (shared/api-docs/EXT-INI.md). Re-exported by settings-data.ts, which is
 * the module other code imports.
 */

/** F: staff documentation or several sources agree; F~: one source; G: our inference. */
export type Confidence = 'F' | 'F~' | 'G';

export type ValueKind =
  | { kind: 'yesno' }
  | { kind: 'number'; min?: number; max?: number }
  /** open: the reference shows that other values exist, so an unlisted value is not an error. */
  | { kind: 'enum'; values: string[]; open?: boolean }
  /** Where the caller is moved: /, /1/1, 1, ., .., ../1, hangup. */
  | { kind: 'target' }
  /** A folder location that is not a caller move; the vendor wants a fixed slash style per key. */
  | { kind: 'path'; style: 'absolute' | 'no-leading-slash' }
  | { kind: 'file' }
  | { kind: 'text' }
  | { kind: 'url'; https?: boolean }
  | { kind: 'phone' }
  /** Comma-separated; `of` names the element kind ('number' and 'phone' elements are checked). */
  | { kind: 'list'; of: string };

export interface ModuleType {
  type: string;
  group: string;
  summary: string;
  summaryHe?: string;
  confidence: Confidence;
  source: string;
  sic?: true;
  /** The reference gives this module's keys (§2.2), so a key outside them is a real finding. */
  modelled: boolean;
}

export type When = 'end' | 'error' | 'timeout' | 'key' | 'other';

export interface SettingKey {
  /** Exact vendor spelling. Placeholders: N digits, NNN a file number, X a phone key (0-9 * #), WORD/VAR/VALUE any text. */
  name: string;
  /** 'any': cross-module, global or entry-pipeline key (§3.4). */
  modules: string[] | 'any';
  value: ValueKind;
  /** Vendor words the key takes besides values of its kind (routing_to_phone=by_incoming_did, folder_to_play=tfr). */
  also?: string[];
  default?: string;
  /** The value is where the caller goes next. */
  navigates?: true;
  when?: When;
  summary: string;
  words?: string[];
  example: string;
  confidence: Confidence;
  source: string;
  sic?: true;
}
