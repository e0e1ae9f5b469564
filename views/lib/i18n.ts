/**
 * The views' words in Hebrew (most owners read it first) and English, chosen by the host's locale. Values from the
 * account (titles, messages, numbers) are shown as they are, each in an element of its own with dir="auto".
 */

const EN = {
  loading: 'Loading…',
  refresh: 'Refresh',
  next: 'Next',
  nothing: 'Nothing to show yet.',
  cardTitle: 'Confirm before it runs',
  why: 'Why it needs a yes',
  recipients: 'Recipients',
  sender: 'Sender',
  message: 'Message',
  files: 'Files',
  cost: 'Cost',
  balance: 'Balance',
  now: 'now',
  after: 'after',
  atMost: 'at most',
  per: 'per',
  numbers: '{n} numbers',
  list: 'the list {n}',
  expires: 'Valid until',
  confirm: 'Confirm',
  cancel: 'Cancel',
  sending: 'Sending…',
  declined: 'Not confirmed: nothing was sent.',
  done: 'Done',
  campaign: 'Campaign',
  progress: '{done} of {total} done',
  spent: 'Units spent',
  estimate: 'estimate',
  noEstimate: 'no estimate',
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop',
  phone: 'Number',
  state: 'State',
  seconds: 'Seconds',
  units: 'Units',
  unitWord: 'units',
  smsUnitWord: 'SMS units',
  firstRows: 'The first {n} numbers',
  needsAdmin: 'Stop and pause are campaign_action, of the campaign_admin toolset: the operator adds it (--toolsets).',
  extensions: '{n} extensions',
  brokenLinks: '{n} broken links',
  broken: 'broken',
  settings: 'Settings (ext.ini)',
  noSettings: 'No ext.ini in this extension.',
  noFiles: 'No files.',
  dryRun: 'Dry-run call',
  from: 'From',
  keys: 'Keys',
  run: 'Run',
  readOnly: 'Reads only: nothing is dialled or spent.',
  audio: '{n} audio',
  tts: '{n} .tts',
  folded: '{n} folders not read',
  truncated: 'Cut at {n} extensions: {m} folders not read.',
} as const;

type Key = keyof typeof EN;

const HE: Record<Key, string> = {
  loading: 'טוען…',
  refresh: 'רענון',
  next: 'מה עכשיו',
  nothing: 'אין עדיין מה להציג.',
  cardTitle: 'אישור לפני ביצוע',
  why: 'למה נדרש אישור',
  recipients: 'נמענים',
  sender: 'שולח',
  message: 'הודעה',
  files: 'קבצים',
  cost: 'עלות',
  balance: 'יתרה',
  now: 'עכשיו',
  after: 'אחרי',
  atMost: 'לכל היותר',
  per: 'לכל',
  numbers: '{n} מספרים',
  list: 'הרשימה {n}',
  expires: 'בתוקף עד',
  confirm: 'אישור',
  cancel: 'ביטול',
  sending: 'שולח…',
  declined: 'לא אושר: לא נשלח דבר.',
  done: 'בוצע',
  campaign: 'קמפיין',
  progress: '{done} מתוך {total} הסתיימו',
  spent: 'יחידות שנוצלו',
  estimate: 'הערכה',
  noEstimate: 'אין הערכה',
  pause: 'השהיה',
  resume: 'חידוש',
  stop: 'עצירה',
  phone: 'מספר',
  state: 'מצב',
  seconds: 'שניות',
  units: 'יחידות',
  unitWord: 'יחידות',
  smsUnitWord: 'יחידות SMS',
  firstRows: '{n} המספרים הראשונים',
  needsAdmin: 'עצירה והשהיה הן campaign_action, מקבוצת הכלים campaign_admin: המפעיל מוסיף אותה (--toolsets).',
  extensions: '{n} שלוחות',
  brokenLinks: '{n} קישורים שבורים',
  broken: 'שבור',
  settings: 'הגדרות (ext.ini)',
  noSettings: 'אין ext.ini בשלוחה זו.',
  noFiles: 'אין קבצים.',
  dryRun: 'שיחת ניסיון',
  from: 'משלוחה',
  keys: 'מקשים',
  run: 'הרצה',
  readOnly: 'קריאה בלבד: אין חיוג ואין חיוב.',
  audio: '{n} שמע',
  tts: '{n} tts',
  folded: '{n} תיקיות לא נקראו',
  truncated: 'נעצר אחרי {n} שלוחות: {m} תיקיות לא נקראו.',
};

/** The API's campaign and entry states, as people say them. */
const STATES_HE: Record<string, string> = {
  RUNNING: 'רץ',
  PAUSED: 'מושהה',
  STOPPING: 'נעצר',
  STOPPED: 'נעצר',
  FINISHED: 'הסתיים',
  pending: 'ממתין',
  ringing: 'מצלצל',
  up: 'בשיחה',
  bridged: 'מחובר',
  done: 'נענה',
  accepted: 'התקבל',
  no_answer: 'לא נענה',
  busy: 'תפוס',
  failed: 'נכשל',
  amd: 'משיבון',
  blocked: 'חסום',
  canceled: 'בוטל',
  redial: 'חיוג חוזר',
  remove_request: 'בקשת הסרה',
  error: 'שגיאה',
};

let hebrew = false;

/** Chooses the words and the page's direction from a BCP 47 locale (`he-IL`). */
export function useLocale(locale: string | undefined): void {
  hebrew = /^(he|iw)\b/i.test(locale ?? navigator.language);
  document.documentElement.lang = hebrew ? 'he' : 'en';
  document.documentElement.dir = hebrew ? 'rtl' : 'ltr';
}

export function t(key: Key, values: Record<string, string | number> = {}): string {
  return (hebrew ? HE : EN)[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

/** A campaign or entry state in the person's language (the API's word in English). */
export function stateName(state: string): string {
  return hebrew ? (STATES_HE[state] ?? state) : state.replace(/_/g, ' ');
}
