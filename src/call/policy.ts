import { actionOf, EFFECT_RANK, effectOf, effectsOf, escalationOf, paramsOfAction, type Effect, type ToolSpec, type Toolset } from './command.js';

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
 * The tool as the policy offers it: the table's entry when every action, and every input that makes a call
 * stronger, is allowed; cut to the allowed actions of a mixed tool (its enum, params, effect and annotations those
 * of the actions left), without the escalations the policy refuses (`update_task` under read,write: `active: 1`
 * is refused at call time, so the listing is a write's); undefined when nothing is allowed.
 */
export function narrowTool(spec: ToolSpec, policy: Policy): ToolSpec | undefined {
  const actions = Object.keys(spec.actions ?? {});
  const allowed = actions.filter((action) => effectAllowed(policy, spec, effectOf(spec, action)));
  const refusedEscalation = (actions.length ? allowed : [undefined]).some((action) => {
    const escalation = escalationOf(spec, action);
    return escalation !== undefined && !effectAllowed(policy, spec, escalation.to);
  });
  const refusedLocal = Object.values(spec.localEffects ?? {}).some((effect) => !effectAllowed(policy, spec, effect));
  if (allowed.length === actions.length && !refusedEscalation && !refusedLocal) return effectsOf(spec).some((effect) => effectAllowed(policy, spec, effect)) ? spec : undefined;
  if (actions.length && !allowed.length) return undefined;
  if (!actions.length && !effectAllowed(policy, spec, spec.effect)) return undefined;
  let byActions = narrowings.get(spec);
  if (!byActions) narrowings.set(spec, (byActions = new Map()));
  const key = `${allowed.join('|')}#${[...policy.allow].sort().join(',')}`;
  let narrowed = byActions.get(key);
  if (!narrowed) byActions.set(key, (narrowed = cut(spec, allowed, policy)));
  return narrowed;
}

/** The entry without the params of this server's own whose effect on this machine the policy refuses (saveTo). */
function withoutRefusedLocals(spec: ToolSpec, policy: Policy): ToolSpec {
  const refused = Object.entries(spec.localEffects ?? {}).filter(([, effect]) => !effectAllowed(policy, spec, effect)).map(([param]) => param);
  if (!refused.length) return spec;
  return {
    ...spec,
    localEffects: Object.fromEntries(Object.entries(spec.localEffects ?? {}).filter(([param]) => !refused.includes(param))),
    params: Object.fromEntries(Object.entries(spec.params).filter(([param]) => !refused.includes(param))),
    summary: `${spec.summary} Not here: ${refused.join(', ')} (the operator allows no writing on this machine).`,
  };
}

function cut(table: ToolSpec, allowed: string[], policy: Policy): ToolSpec {
  const spec = withoutRefusedLocals(table, policy);
  const kept = (action: string | undefined) => {
    const escalation = escalationOf(spec, action);
    return escalation && effectAllowed(policy, spec, escalation.to) ? escalation : undefined;
  };
  const refused = (action: string | undefined) => {
    const escalation = escalationOf(spec, action);
    return escalation && !effectAllowed(policy, spec, escalation.to) ? [escalation.why] : [];
  };
  if (!allowed.length) {
    const notHere = refused(undefined);
    return { ...spec, escalate: kept(undefined), summary: notHere.length ? `${spec.summary} Not here: ${notHere.join('; ')}.` : spec.summary, narrowedFrom: table };
  }
  const effect = allowed.map((action) => effectOf(spec, action)).reduce((strongest, next) => (EFFECT_RANK[next] > EFFECT_RANK[strongest] ? next : strongest));
  const params = new Set(allowed.flatMap((action) => paramsOfAction(spec, action)));
  const hidden = allowed.length < Object.keys(spec.actions ?? {}).length ? ` Here only ${allowed.join(', ')}: the operator allows no other action.` : '';
  const notHere = [...new Set(allowed.flatMap(refused))];
  return {
    ...spec,
    effect,
    escalate: undefined,
    summary: `${spec.summary}${hidden}${notHere.length ? ` Not here: ${notHere.join('; ')}.` : ''}`,
    // Each action keeps its own effect (one that took the tool's default must not take the narrowed one), and only
    // the escalations the policy allows.
    actions: Object.fromEntries(allowed.map((action) => [action, { ...spec.actions![action], effect: effectOf(spec, action), escalate: kept(action) }])),
    params: Object.fromEntries(Object.entries(spec.params).filter(([param]) => params.has(param))),
    examples: spec.examples.filter((example) => allowed.includes(actionOf(spec, example)!)) as ToolSpec['examples'],
    narrowedFrom: table,
  };
}

/** A toolset named in a question or an answer, with "off here" when this server does not serve it: advice the agent can act on. */
export function toolsetHere(policy: Policy, toolset: Toolset): string {
  return policy.toolsets.has(toolset) ? toolset : `${toolset}, off here: the operator can turn it on`;
}
