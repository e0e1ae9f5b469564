import { actionOf, EFFECT_RANK, effectOf, effectsOf, paramsOfAction, type Effect, type ToolSpec, type Toolset } from './command.js';

/** What the operator lets an agent see and do. Fixed at start-up. */
export interface Policy {
  allow: ReadonlySet<Effect>;
  toolsets: ReadonlySet<Toolset>;
  /** Named tools, registered in addition to the toolsets. */
  tools: ReadonlySet<string>;
  exclude: ReadonlySet<string>;
}

/** The two-factor flow: without it no other tool can work, so no filter removes it. */
const isAlwaysOn = (spec: ToolSpec) => spec.toolset === 'mfa';

export function effectAllowed(policy: Policy, spec: ToolSpec, effect: Effect): boolean {
  return isAlwaysOn(spec) || policy.allow.has(effect);
}

/** The tools the policy registers, each offering only the actions it allows. */
export function selectTools(all: readonly ToolSpec[], policy: Policy): ToolSpec[] {
  return all.flatMap((spec) => {
    if (isAlwaysOn(spec)) return [spec];
    if (policy.exclude.has(spec.name)) return [];
    if (!policy.toolsets.has(spec.toolset) && !policy.tools.has(spec.name)) return [];
    return narrowTool(spec, policy) ?? [];
  });
}

/** Narrowed entries by table entry and allowed actions: every session (every tenant) shares one, and its converted definition. */
const narrowings = new WeakMap<ToolSpec, Map<string, ToolSpec>>();

/**
 * The tool as the policy offers it: the table's entry when every action is allowed; cut to the allowed actions of a
 * mixed tool (its enum, params, effect and annotations those of the actions left); undefined when none is allowed.
 */
export function narrowTool(spec: ToolSpec, policy: Policy): ToolSpec | undefined {
  const actions = Object.keys(spec.actions ?? {});
  const allowed = actions.filter((action) => effectAllowed(policy, spec, effectOf(spec, action)));
  if (allowed.length === actions.length) return effectsOf(spec).some((effect) => effectAllowed(policy, spec, effect)) ? spec : undefined;
  if (!allowed.length) return undefined;
  let byActions = narrowings.get(spec);
  if (!byActions) narrowings.set(spec, (byActions = new Map()));
  const key = allowed.join('|');
  let narrowed = byActions.get(key);
  if (!narrowed) byActions.set(key, (narrowed = cut(spec, allowed)));
  return narrowed;
}

function cut(spec: ToolSpec, allowed: string[]): ToolSpec {
  const { destructive, ...entry } = spec;
  const effect = allowed.map((action) => effectOf(spec, action)).reduce((strongest, next) => (EFFECT_RANK[next] > EFFECT_RANK[strongest] ? next : strongest));
  const params = new Set(allowed.flatMap((action) => paramsOfAction(spec, action)));
  return {
    ...entry,
    // A write that can end something stays marked so; a tool left with reads only is a read tool.
    ...(destructive && effect !== 'read' && { destructive }),
    effect,
    summary: `${spec.summary} Here only ${allowed.join(', ')}: the operator allows no other action.`,
    // Each action keeps its own effect: one that took the tool's default must not take the narrowed one.
    actions: Object.fromEntries(allowed.map((action) => [action, { ...spec.actions![action], effect: effectOf(spec, action) }])),
    params: Object.fromEntries(Object.entries(spec.params).filter(([param]) => params.has(param))),
    examples: spec.examples.filter((example) => allowed.includes(actionOf(spec, example)!)) as ToolSpec['examples'],
    narrowedFrom: spec,
  };
}
