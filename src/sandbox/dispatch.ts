import { ApiFail, RawReply, type CommandContext, type HandlerInfo, type Params } from './handler.js';
import { optNumber } from './params.js';

const API_VERSION = '6.7.30-sandbox';

export const NO_SIP_ANSWER = Object.freeze({ responseStatus: 'ERROR', message: 'שרת זה אינו תומך במערכת SIP', yAfastVersion: 'any' });

/** A JSON answer object, or a raw reply (text, bytes, a bare status). */
export type Outcome = Params | RawReply;

/** responseStatus first, then yAfastVersion (unless the answer brings its own), then the rest. */
export function withVersion(answer: Params): Params {
  return { responseStatus: answer.responseStatus, yAfastVersion: API_VERSION, ...answer };
}

/** Runs a handler: the SIP and range rules first; API errors become their answers, bugs an Exception answer. */
export function runHandler(name: string, info: HandlerInfo, ctx: CommandContext, log: (line: string) => void): Outcome {
  if (info.sipOnly && !ctx.sip) return { ...NO_SIP_ANSWER };
  try {
    for (const [param, range] of Object.entries(info.rules ?? {})) optNumber(ctx.params, param, range);
    const result = info.handle(ctx);
    return result instanceof RawReply ? result : withVersion({ responseStatus: 'OK', ...result });
  } catch (error) {
    if (error instanceof ApiFail) return withVersion(error.answer);
    log(`internal error in ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return withVersion({ responseStatus: 'Exception', message: 'internal sandbox error', file: `${name}.ym`, Line: '0:0' });
  }
}
