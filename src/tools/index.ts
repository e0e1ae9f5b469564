import { accountTools } from './account.js';
import { callerIdTools } from './caller-ids.js';
import { campaignTools } from './campaigns.js';
import type { ToolSpec } from '../call/command.js';
import { fileTools } from './files.js';
import { ivrViewTools } from './ivr-view.js';
import { ivrEditTools } from './ivr-edit.js';
import { ivrCreateTools } from './ivr-create.js';
import { ivrUndoTools } from './ivr-undo.js';
import { mfaAdminTools, mfaTools } from './mfa.js';
import { queueTools } from './queues.js';
import { sipTools } from './sip.js';
import { smsTools } from './sms.js';
import { tzintukTools } from './tzintuk.js';
import { callTools } from './calls.js';
import { templateTools } from './templates.js';
import { campaignRunTools } from './campaign-runs.js';
import { campaignScheduleTools } from './campaign-schedules.js';
import { taskTools } from './tasks.js';
import { securityTools } from './security.js';

/** Every tool, in README order. The single source of truth. */
export const TOOLS: readonly ToolSpec[] = [
  ...mfaTools,
  ...campaignTools,
  ...templateTools,
  ...campaignRunTools,
  ...campaignScheduleTools,
  ...fileTools,
  ...ivrViewTools,
  ...ivrEditTools,
  ...ivrCreateTools,
  ...ivrUndoTools,
  ...smsTools,
  ...tzintukTools,
  ...callerIdTools,
  ...queueTools,
  ...accountTools,
  ...callTools,
  ...taskTools,
  ...securityTools,
  ...sipTools,
  ...mfaAdminTools,
];
