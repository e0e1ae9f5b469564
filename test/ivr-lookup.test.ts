import { describe, expect, it } from 'vitest';
import { lookupSettings } from '../src/ivr/lookup.js';
import { SETTING_KEYS } from '../src/ivr/settings-data.js';

/** What owners say, and the key they mean. */
const PHRASINGS: Array<[query: string, key: string]> = [
  ['after the message go back to the main menu', 'playfile_end_goto'],
  ['אחרי ההודעה לחזור לתפריט הראשי', 'playfile_end_goto'],
  ['חזרה לתפריט הראשי', 'playfile_end_goto'],
  ['what happens when nobody presses a key', 'timeout_goto'],
  ['מה קורה כשלא מקישים כלום', 'timeout_goto'],
  ['password to enter the extension', 'password'],
  ['סיסמה לשלוחה', 'password'],
  ['webhook url', 'api_link'],
  ['קישור API', 'api_link'],
  ['play files from oldest', 'start'],
  ['השמעת הקבצים מהישן לחדש', 'start'],
  ['forward calls to my mobile', 'routing_to_phone'],
  ['הפניית שיחות לנייד', 'routing_to_phone'],
  ['queue hold time', 'queue_timeout'],
  ['כמה זמן מחכים בתור', 'queue_timeout'],
  ['where does the caller go after recording', 'record_end_goto'],
  ['לאן עוברים אחרי ההקלטה', 'record_end_goto'],
  ['how many digits the caller types in the menu', 'digits'],
  ['כמה ספרות מקישים בתפריט', 'digits'],
  ['music while waiting for the api server', 'api_wait_answer_music_on_hold'],
  ['מוזיקה בזמן שמחכים לשרת', 'api_wait_answer_music_on_hold'],
  ['language of the system messages', 'language'],
  ['שפת ההודעות', 'language'],
  ['speed of the text to speech voice', 'rate'],
  ['מהירות הדיבור של ההקראה', 'rate'],
  ['caller id shown when the call is forwarded', 'routing_your_id'],
  ['איזה מספר יוצג בהעברת שיחה', 'routing_your_id'],
  ['do not record forwarded calls', 'routing_record'],
  ['לא להקליט שיחות שמועברות', 'routing_record'],
  ['where to send callers when the queue is full', 'queue_end_full_goto'],
  ['מה קורה כשהתור מלא', 'queue_end_full_goto'],
  ['change the extension type', 'type'],
  ['לשנות את סוג השלוחה', 'type'],
  ['play the messages in random order', 'random'],
  ['השמעה בסדר אקראי', 'random'],
  ['name of the tzintuk list', 'list_tzintuk'],
  ['שם הרשימה של הצינתוקים', 'list_tzintuk'],
  ['text of the sms sent to the caller', 'text_sms_for_sending'],
  ['נוסח ההודעה בSMS', 'text_sms_for_sending'],
  ['only allowed numbers can enter', 'white_list'],
  ['רשימה לבנה של מספרים', 'white_list'],
  ['display name of the extension', 'title'],
  ['שם לשלוחה', 'title'],
  ['how long the tzintuk rings', 'tzintuk_timeout'],
  ['זמן הצלצול של הצינתוק', 'tzintuk_timeout'],
  ['send the request as post', 'api_url_post'],
  ['לשלוח את הבקשה בPOST', 'api_url_post'],
  ['key to go back to the previous extension', 'up'],
  ['מקש לחזרה לשלוחה הקודמת', 'up'],
  ['save the recordings in another folder', 'folder_move'],
  ['באיזו תיקייה לשמור את ההקלטות', 'folder_move'],
  ['say how many messages there are', 'say_files_amount'],
  ['להשמיע כמה הודעות יש', 'say_files_amount'],
  ['route calls by time of day', 'go_to_folder_time_N'],
  ['ניתוב לפי שעות הפעילות', 'go_to_folder_time_N'],
  ['listener or broadcaster in the conference', 'conf_bridge_type'],
  ['תפקיד המשתתף בחדר הוועידה', 'conf_bridge_type'],
  ['maximum length of a recording', 'option_record'],
  ['הגבלת אורך ההקלטה', 'option_record'],
  ['where the API sends the caller when it is done', 'api_end_goto'],
  ['לאן לעבור כשה-API מסיים', 'api_end_goto'],
  ['hold music for forwarded calls', 'music_on_hold'],
  ['מוזיקת המתנה בזמן העברת השיחה', 'music_on_hold'],
  ['voice of the text to speech', 'voice'],
  ['קול גבר או אישה בהקראה', 'voice'],
];

describe('lookupSettings', () => {
  it('the table names real keys and is at least half Hebrew', () => {
    expect(PHRASINGS.length).toBeGreaterThanOrEqual(40);
    expect(PHRASINGS.filter(([query]) => /[\u05d0-\u05ea]/.test(query)).length * 2).toBeGreaterThanOrEqual(PHRASINGS.length);
    const names = new Set(SETTING_KEYS.map((key) => key.name));
    for (const [, key] of PHRASINGS) expect(names.has(key), key).toBe(true);
  });

  it('finds the meant key in the top 3 for at least 95% of the phrasings', () => {
    const misses = PHRASINGS.flatMap(([query, key]) => {
      const top = lookupSettings(query, { limit: 3 }).map((match) => match.key);
      return top.includes(key) ? [] : [`${query} -> ${key}; got ${top.join(', ') || 'nothing'}`];
    });
    if (misses.length > 0) console.log(`lookup misses (${misses.length}/${PHRASINGS.length}):\n${misses.join('\n')}`);
    expect(misses.length / PHRASINGS.length).toBeLessThanOrEqual(0.05);
  });

  it('answers with the example, values and default of the key', () => {
    const [best] = lookupSettings('after the message go back to the main menu');
    expect(best).toMatchObject({ key: 'playfile_end_goto', example: 'playfile_end_goto=/', confidence: 'F', source: 'KB/playfile', forType: false });
    expect(best.values).toContain('hangup');
    expect(lookupSettings('play files from oldest')[0]).toMatchObject({ key: 'start', default: 'max', example: 'start=min' });
    expect(lookupSettings('play files from oldest')[0].values).toContain('min');
  });

  it('a vendor key name or family member finds itself', () => {
    expect(lookupSettings('api_add_3')[0].key).toBe('api_add_N');
    expect(lookupSettings('manu_say_last_play')[0].key).toBe('manu_say_last_play');
  });

  it('ranks keys of the given type first and says so', () => {
    const forMenu = lookupSettings('where to go at the end', { type: 'menu', limit: 10 });
    expect(forMenu.length).toBeGreaterThan(0);
    const forRecord = lookupSettings('where to go at the end', { type: 'record', limit: 3 });
    expect(forRecord[0]).toMatchObject({ key: 'record_end_goto', forType: true });
    const forQueue = lookupSettings('where to go at the end', { type: 'queue', limit: 3 });
    expect(forQueue[0].forType).toBe(true);
    expect(forQueue[0].key.startsWith('queue_')).toBe(true);
    // An agent takes the first match: on a menu, a better-worded playfile key must not come before the menu's own.
    const onMenu = lookupSettings('when the message ends go back to the main menu', { type: 'menu', limit: 10 });
    const firstOther = onMenu.findIndex((match) => !match.forType);
    expect(onMenu[0].forType, JSON.stringify(onMenu.map((match) => match.key))).toBe(true);
    if (firstOther >= 0) expect(onMenu.slice(firstOther).every((match) => !match.forType)).toBe(true);
  });

  it('ignores niqqud, punctuation and case', () => {
    expect(lookupSettings('סִיסְמָה לַשְּׁלוּחָה!')[0].key).toBe('password');
    expect(lookupSettings('WEBHOOK URL?')[0].key).toBe('api_link');
  });

  it('answers nothing to an empty or unrelated query, and respects the limit', () => {
    expect(lookupSettings('')).toEqual([]);
    expect(lookupSettings('the of a')).toEqual([]);
    expect(lookupSettings('xyzzy plugh')).toEqual([]);
    expect(lookupSettings('goto', { limit: 2 })).toHaveLength(2);
  });
});
