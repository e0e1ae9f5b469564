import type { z } from 'zod';

/** What a call does to the account. Drives annotations, operator policy, retries and confirmation. */
export type Effect = 'read' | 'write' | 'delete' | 'spend';
export const EFFECTS: readonly Effect[] = ['read', 'write', 'delete', 'spend'];

/** Two-factor level a call needs: none, a passed session, or a code verified in this very session. */
export type Auth = 'none' | 'pass' | 'hard';

export const TOOLSETS = ['campaigns', 'files', 'sms', 'caller_ids', 'queues', 'sip', 'account', 'mfa', 'mfa_admin'] as const;
export type Toolset = (typeof TOOLSETS)[number];
/** Registered unless the operator names others; `mfa` is always registered (see policy.ts). */
export const DEFAULT_TOOLSETS: readonly Toolset[] = ['campaigns', 'files', 'sms', 'caller_ids', 'queues', 'account', 'mfa'];

export type Input = Record<string, unknown>;
export type Answer = Record<string, unknown>;

export interface ActionSpec {
  /** Defaults to the tool's effect; never stronger than it (table test). */
  effect?: Effect;
  /** Params this action requires, checked before any request. */
  needs?: string[];
  /** Params this action must not carry (the API documents them as absent). */
  forbids?: string[];
  /** Defaults to the tool's auth. */
  auth?: Auth;
  /** The API refuses this action once the session reached this level. */
  unavailableAfter?: 'pass' | 'hard';
}

export interface ToolSpec {
  /** MCP tool name, snake_case. */
  name: string;
  /** Yemot command, spelled as the API spells it. */
  command: string;
  toolset: Toolset;
  /** Strongest effect of the tool (and of every action). */
  effect: Effect;
  /** One sentence: the tool description and the README row. */
  summary: string;
  /** Everything the API takes besides token, in the API's spelling, each described. */
  params: z.ZodRawShape;
  /**
   * The vendor's action values. With one action the value is sent fixed and not exposed;
   * with several, an enum property named `actionParam` is derived from the keys.
   */
  actions?: Record<string, ActionSpec>;
  /** Vendor field that carries the action; default `action`. */
  actionParam?: string;
  /** Default `pass` (every command but MFASession needs a passed session). */
  auth?: Auth;
  /** The API takes this command only as a JSON body. */
  json?: true;
  /** A non-JSON answer is the product itself (a rendered file). */
  text?: true;
  /** Rules across fields; returns `field: rule` messages. */
  check?: (input: Input) => string[];
  /** Documented answer fields (all optional, extra vendor fields tolerated). */
  output?: z.ZodRawShape;
  /** Tells the agent when an OK answer still failed in part; undefined when it fully succeeded. */
  partial?: (answer: Answer) => string | undefined;
  /** Confirmation text for spend/delete: what will happen. */
  confirm?: (input: Input) => string;
  /** Read tool that shows whether a write with an unknown outcome took effect. */
  verifyWith?: string;
  /** A valid input: used by the README and the happy-path tests. */
  example: Input;
}

export const EFFECT_RANK: Record<Effect, number> = { read: 0, write: 1, delete: 2, spend: 3 };

export function actionParamOf(spec: ToolSpec): string {
  return spec.actionParam ?? 'action';
}

/** The action values an agent chooses between; empty when the tool has a fixed or no action. */
export function actionChoices(spec: ToolSpec): string[] {
  const names = Object.keys(spec.actions ?? {});
  return names.length > 1 ? names : [];
}

/** The action a call performs: the chosen one, the fixed one, or undefined for action-less commands. */
export function actionOf(spec: ToolSpec, input: Input): string | undefined {
  const names = Object.keys(spec.actions ?? {});
  if (names.length === 0) return undefined;
  if (names.length === 1) return names[0];
  return input[actionParamOf(spec)] as string | undefined;
}

export function effectOf(spec: ToolSpec, action: string | undefined): Effect {
  return (action && spec.actions?.[action]?.effect) || spec.effect;
}

export function authOf(spec: ToolSpec, action: string | undefined): Auth {
  return (action && spec.actions?.[action]?.auth) || spec.auth || 'pass';
}

export function tool(spec: ToolSpec): ToolSpec {
  return spec;
}
