import type { z } from 'zod';
import type { ErrorCode, YemotError } from '../client/errors.js';
import type { AnswerKind, RequestKind } from '../client/kinds.js';

/**
 * What a call does to the account. Drives annotations, operator policy, retries and confirmation:
 * irreversible (a write that cannot be taken back: a hung-up call, a replaced password), delete and spend (units
 * flow now or later) run only after the person's yes.
 */
export type Effect = 'read' | 'write' | 'irreversible' | 'delete' | 'spend';
export const EFFECTS: readonly Effect[] = ['read', 'write', 'irreversible', 'delete', 'spend'];
/** Effects that run only after the person confirmed them (a form, or a confirmation token). */
export const CONFIRMED_EFFECTS: ReadonlySet<Effect> = new Set(['irreversible', 'delete', 'spend']);

/**
 * A write that waits for the person's yes although it can be undone: a change of an extension's settings (the
 * caller meets it at once; the undo journal takes it back). Which inputs (default all), and why, for the preview
 * and the README.
 */
export interface Confirmed {
  when?: (input: Input) => boolean;
  why: string;
}

/**
 * A call whose input makes it stronger than its declared effect: `update_task {active: 1}` re-enables a task that
 * sends SMS (a spend), `set_sip_extension` without extNumber removes the binding (irreversible).
 */
export interface Escalation {
  to: Effect;
  when: (input: Input) => boolean;
  /** Why, in a few words, for the README and the refusal: "active: 1 restarts a task that may send or ring". */
  why: string;
}

/** Two-factor level a call needs: none, a passed session, or a code verified in this very session. */
export type Auth = 'none' | 'pass' | 'hard';

export type { Toolset } from './toolsets.js';
import type { Toolset } from './toolsets.js';

export type Input = Record<string, unknown>;
export type Answer = Record<string, unknown>;

/**
 * Which params an action takes. A param named by some action's `needs` or `uses` belongs to those
 * actions only: the others refuse it by name. Params no action names are shared by every action.
 */
export interface ActionSpec {
  /** Defaults to the tool's effect; never stronger than it (table test). */
  effect?: Effect;
  /** The input that makes this action stronger (defaults to the tool's escalation). */
  escalate?: Escalation;
  /** Params this action requires, checked before any request. */
  needs?: string[];
  /** Optional params this action takes. */
  uses?: string[];
  /** Defaults to the tool's auth. */
  auth?: Auth;
  /** The API refuses this action once the session reached this level. */
  unavailableAfter?: 'pass' | 'hard';
  /** Read tool that shows whether this action took effect, where it is not the tool's `verifyWith`. */
  verifyWith?: string;
  /** The action's wire value when it carries an argument (CallAction's `set:GOasap=<path>`); default the key itself. */
  value?: (input: Input) => string;
}

export interface ToolSpec {
  /** MCP tool name, snake_case. */
  name: string;
  /**
   * What a person reads in a host's approval prompt: a few plain English words ("Send an SMS"), never the command
   * list, which the description carries (surface/describe.ts derives it from `command` and `actions`).
   */
  title: string;
  /** Yemot command, spelled as the API spells it. */
  command: string;
  toolset: Toolset;
  /** Strongest static effect of the tool (and of every action); an escalation may go beyond it. */
  effect: Effect;
  /** The input that makes a call of this tool stronger than its effect. */
  escalate?: Escalation;
  /** A write of this tool that still waits for the person's yes (see Confirmed). */
  confirmed?: Confirmed;
  /**
   * The API's documented defaults of optional params (`repeatFile: 2`): a call that spells one out is the same
   * spend as one that omits it (the duplicate-spend key).
   */
  defaults?: Input;
  /** One sentence: the tool description and the README row. */
  summary: string;
  /** Words an owner would ask with, in Hebrew and English, that the entry does not already say (discovery search only). */
  keywords?: string[];
  /** Everything the API takes besides token, in the API's spelling, each described. */
  params: z.ZodRawShape;
  /**
   * The vendor's action values. With one action the value is sent fixed and not exposed;
   * with several, an enum property named `actionParam` is derived from the keys.
   */
  actions?: Record<string, ActionSpec>;
  /** Vendor field that carries the action; default `action`. */
  actionParam?: string;
  /**
   * `command`: the choice is the Yemot command itself (a read family such as GetIVR2Dir | GetFile): the
   * selector param is `command`, each action key is an exact command name, and nothing extra is sent.
   */
  selects?: 'command';
  /**
   * A view built from several reads: the other read commands its `transfer` sends besides `command` (the IVR
   * tree reads every folder's ext.ini with GetTextFile). Named in the title; never a choice of the agent.
   */
  reads?: string[];
  /** The other write commands its `transfer` sends (a new extension's greeting by UploadTextFile). Named in the title. */
  writes?: string[];
  /** Default `pass` (every command but MFASession needs a passed session). */
  auth?: Auth;
  /**
   * How the request travels: a form (default; a JSON body anyway when a value is an array or object),
   * always JSON (the API takes the command only so), or multipart with the file part's field name.
   */
  request?: RequestKind;
  /** What comes back: a JSON answer (default), a text product (a rendered file), or bytes (`{ binary: 'path' }` names the path param). */
  answer?: ToolAnswerKind;
  /** Reacts to every OK JSON answer of this command (the two-factor bookkeeping of MFASession). */
  onAnswer?: AnswerHook;
  /**
   * Turns the validated input into what is sent, where that needs I/O: a local file read into a file part,
   * params of this server's own (`saveTo`) taken out. Runs after the two-factor gate and confirmation.
   */
  prepare?: (ctx: import('./context.js').ToolContext, input: Input) => Promise<Input>;
  /** Refuses, before anything is sent (the two-factor probe included), a call the operator's settings forbid. */
  refuse?: (ctx: import('./context.js').ToolContext, input: Input) => YemotError | undefined;
  /** Sends the prepared request itself, when one command takes several requests (UploadFile's chunked form). */
  transfer?: Transfer;
  /** Params of this server's own (a local file, where to save a download): used by the runner, never sent. */
  local?: string[];
  /**
   * Params of this server's own that act on this machine, with the effect they give a call: download_file's saveTo
   * writes a file there. The operator's policy must allow that effect too, and the annotations show it; the
   * request to the API stays what the action makes it (a download is still retried like any read).
   */
  localEffects?: Record<string, Effect>;
  /** After an OK write, what to read to show the agent the result as it now is (see ReadBack). */
  readBack?: (input: Input) => ReadBack | undefined;
  /** Rules across fields; returns `field: rule` messages. */
  check?: (input: Input) => string[];
  /** Documented answer fields (all optional, extra vendor fields tolerated); `{}` when the API answers only OK. */
  output: z.ZodRawShape;
  /** What the agent reads besides the answer, computed from it (a call log's page, schedules as series, recordings marked). */
  derive?: (result: Record<string, unknown>, input: Input) => Record<string, unknown>;
  /** The answer field with the id of the campaign this spend started: the result says how to follow it. */
  follows?: string;
  /** An answer field for the person's eyes only (a new SIP password): handed to them by a one-time link, never to the agent. */
  handOver?: { field: string; title: (answer: Answer) => string };
  /** Judges an OK answer that may not have done what was asked; undefined when it fully succeeded. */
  outcome?: (answer: Answer, input: Input, ctx: import('./context.js').ToolContext) => Outcome | undefined;
  /** What an OK answer without fields did, e.g. "SIP account 3 now uses WSS" (default: derived from the call). */
  done?: (input: Input, action: string | undefined) => string;
  /** The param that narrows a long list answer (e.g. a row limit). */
  narrowWith?: string;
  /** The preview's first line for a confirmed effect: what will happen, naming the command. */
  confirm?: (input: Input) => string;
  /**
   * What the API would refuse and can be checked before the person is asked (an unapproved sender, a template
   * without a message, a file that does not exist): throws the refusal. Runs only when the person is to be asked.
   */
  precheck?: (ctx: import('./context.js').ToolContext, input: Input, signal?: AbortSignal) => Promise<void>;
  /**
   * What the API's own data says of the call, read only when the person is asked (a campaign's estimate, whose
   * session a kill ends, the diff a change set makes). `seen` is a digest of what the preview shows (a file's
   * content): the transfer gets it back once the person said yes, and goes ahead only while it still holds.
   */
  quote?: (ctx: import('./context.js').ToolContext, input: Input, signal?: AbortSignal) => Promise<Quote>;
  /** The vendor's documented price per number reached, for the preview (a tzintuk: 0.1 unit). */
  price?: import('./preview.js').Price;
  /** What the command's documented error codes (`messageCode`) mean, and what to do. */
  codes?: Record<number, string>;
  /** Read tool that shows whether a write with an unknown outcome took effect. */
  verifyWith?: string;
  /** Valid inputs, at least one per action; the first is the README's. Each drives an e2e request test. */
  examples: [Input, ...Input[]];
  /**
   * Set by the operator's policy on a mixed tool cut to its allowed actions (policy.ts): the table's entry. Its
   * action stays a choice even with one left, so calls keep their shape; calls are checked against the entry.
   */
  narrowedFrom?: ToolSpec;
}

export type { RequestKind } from '../client/kinds.js';

/**
 * A read after an OK write: one field of its answer (`show`) or all, under `as` (default `now`), and a warning
 * when the answer calls for one (a folder near the files Yemot keeps).
 */
export interface ReadBack {
  command: string;
  params: Input;
  show?: string;
  as?: string;
  warn?: (answer: Answer) => string | undefined;
}

/** What a quote adds to the preview. */
export interface Quote {
  /** The command this call will send when the entry's own is not it (an undo that deletes sends FileAction). */
  command?: string;
  cost?: import('./preview.js').Cost;
  note?: string;
  /** A unified diff of what the call changes. */
  diff?: string;
  warnings?: string[];
  seen?: string;
}

/** What a transfer hook gets: the session, the progress reporter, the caller's signal, and what the person saw. */
export interface TransferContext {
  ctx: import('./context.js').ToolContext;
  /** The Yemot command of the call (the chosen one of a command family). */
  command: string;
  progress: (done: number, total: number, message: string) => void;
  signal?: AbortSignal;
  /** The quote's `seen` of the preview the person said yes to; undefined when nobody was asked. */
  seen?: string;
}
/** Sends one prepared call, or declines (undefined) to let the runner send it as one request. */
export type Transfer = (transfer: TransferContext, wire: Input) => Promise<import('../client/kinds.js').Reply | undefined>;
/** A binary answer may name the input param that holds the file's path: its extension tells an untyped answer's type. */
export type ToolAnswerKind = AnswerKind | { binary: string };

/** What an answer hook sees: the session the answer belongs to, and whether it was just renewed. */
export interface AnswerEvent {
  token: string;
  action: string | undefined;
  answer: Answer;
}
export type AnswerHook = (ctx: import('./context.js').ToolContext, event: AnswerEvent) => void;

/** An OK answer that did part of the job (a warning), or none of it (an isError result with a stable code). */
export type Outcome = { warning: string } | { note: string } | { failure: ErrorCode; message: string; next: string; details?: Record<string, unknown> };

export const EFFECT_RANK: Record<Effect, number> = { read: 0, write: 1, irreversible: 2, delete: 3, spend: 4 };
const stronger = (a: Effect, b: Effect): Effect => (EFFECT_RANK[b] > EFFECT_RANK[a] ? b : a);

export function actionParamOf(spec: ToolSpec): string {
  return spec.selects === 'command' ? 'command' : (spec.actionParam ?? 'action');
}

/** The Yemot command a call sends: the chosen one for a command family, else the tool's. */
export function commandOf(spec: ToolSpec, action: string | undefined): string {
  return spec.selects === 'command' && action ? action : spec.command;
}

/** How a call is named to people: `SendTTS`, `QueueManagement kick`, or the chosen command of a family. */
export function callName(spec: ToolSpec, action: string | undefined): string {
  const command = commandOf(spec, action);
  return action && action !== command ? `${command} ${action}` : command;
}

/** Every Yemot command a tool can send. */
export function commandsOf(spec: ToolSpec): string[] {
  return spec.selects === 'command' ? Object.keys(spec.actions ?? {}) : [spec.command, ...(spec.writes ?? []), ...(spec.reads ?? [])];
}

/** The action values an agent chooses between; empty when the tool has a fixed or no action. */
export function actionChoices(spec: ToolSpec): string[] {
  const names = Object.keys(spec.actions ?? {});
  return names.length > 1 || spec.narrowedFrom ? names : [];
}

/** The action a call performs: the chosen one, the fixed one, or undefined for action-less commands. */
export function actionOf(spec: ToolSpec, input: Input): string | undefined {
  const names = Object.keys(spec.actions ?? {});
  if (names.length === 0) return undefined;
  if (names.length === 1) return names[0];
  return input[actionParamOf(spec)] as string | undefined;
}

/** The escalation that applies to an action (its own, else the tool's). */
export function escalationOf(spec: ToolSpec, action: string | undefined): Escalation | undefined {
  return (action && spec.actions?.[action]?.escalate) || spec.escalate;
}

/** The effect of an action; with the input, an escalation that applies to it counts too. */
export function effectOf(spec: ToolSpec, action: string | undefined, input?: Input): Effect {
  const declared = (action && spec.actions?.[action]?.effect) || spec.effect;
  const escalation = input && escalationOf(spec, action);
  return escalation && escalation.when(input) ? stronger(declared, escalation.to) : declared;
}

/** The local params a call gives that act on this machine, each with its effect (download_file's saveTo: write). */
export function localEffectsOf(spec: ToolSpec, input: Input): Array<[string, Effect]> {
  return Object.entries(spec.localEffects ?? {}).filter(([param]) => input[param] !== undefined);
}

/** Every effect the tool can have: one per action (or the tool's own), and each escalation's. */
export function effectsOf(spec: ToolSpec): Effect[] {
  const actions = Object.keys(spec.actions ?? {});
  const declared = actions.length ? actions.map((action) => effectOf(spec, action)) : [spec.effect];
  const escalated = (actions.length ? actions : [undefined]).flatMap((action) => escalationOf(spec, action)?.to ?? []);
  return [...declared, ...escalated];
}

/** The strongest thing any call of the tool can do, to the account or on this machine: what its annotations say. */
export function strongestEffect(spec: ToolSpec): Effect {
  return [...effectsOf(spec), ...Object.values(spec.localEffects ?? {})].reduce(stronger, 'read');
}

/** Whether this call waits for the person's yes: a confirmed effect, or a write its entry declares confirmed. */
export function needsYes(spec: ToolSpec, effect: Effect, input: Input): boolean {
  return CONFIRMED_EFFECTS.has(effect) || (spec.confirmed !== undefined && (spec.confirmed.when?.(input) ?? true));
}

/** Whether some call of the tool waits for the person's yes (it then takes the confirm param). */
export function mayNeedYes(spec: ToolSpec): boolean {
  return spec.confirmed !== undefined || effectsOf(spec).some((effect) => CONFIRMED_EFFECTS.has(effect));
}

/** The read tool that shows whether a call of this action went out. */
export function verifyToolOf(spec: ToolSpec, action: string | undefined): string | undefined {
  return (action && spec.actions?.[action]?.verifyWith) || spec.verifyWith;
}

export function authOf(spec: ToolSpec, action: string | undefined): Auth {
  return (action && spec.actions?.[action]?.auth) || spec.auth || 'pass';
}

/** The params an action may carry: shared ones plus its own `needs` and `uses` (see ActionSpec). */
export function paramsOfAction(spec: ToolSpec, action: string): string[] {
  const rules = spec.actions ?? {};
  const claimed = new Set(Object.values(rules).flatMap((rule) => [...(rule.needs ?? []), ...(rule.uses ?? [])]));
  const own = [...(rules[action]?.needs ?? []), ...(rules[action]?.uses ?? [])];
  return [...Object.keys(spec.params).filter((param) => !claimed.has(param)), ...own];
}

export function tool(spec: ToolSpec): ToolSpec {
  return spec;
}
