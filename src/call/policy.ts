import { effectsOf, type Effect, type ToolSpec, type Toolset } from './command.js';

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

export function selectTools(all: readonly ToolSpec[], policy: Policy): ToolSpec[] {
  return all.filter((spec) => {
    if (isAlwaysOn(spec)) return true;
    if (policy.exclude.has(spec.name)) return false;
    if (!policy.toolsets.has(spec.toolset) && !policy.tools.has(spec.name)) return false;
    return effectsOf(spec).some((effect) => policy.allow.has(effect));
  });
}

