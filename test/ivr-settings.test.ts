import { describe, expect, it } from 'vitest';
import { checkSettings } from '../src/ivr/check.js';
import { parseIni, type SettingLine } from '../src/ivr/ini.js';
import { keyInfo, MODULE_TYPES, moduleInfo, SETTING_KEYS } from '../src/ivr/settings-data.js';

/** EXT-INI.md §2.1, as written there, plus the three slugs seen elsewhere. */
const REFERENCE_SLUGS = `
routing routing_time routing_yemot routing_1800 routing_ip go_to_folder go_to_folder_time go_to_folder_count
go_to_folder_date go_to_folder_from_list_all_information hangup queue access_filter template_filter
key_play_set_record_go_to_foldar folder_play_random block_id_type private_did private_did_customer nitoviya
nitoviya_b_say_number tzintuk menu menu_star menu_voice message_options_menu start_select_file playfile playfile_time
playdir_time play_and_return last_play music_on_hold toplay_time id_message id_list_message phone_play_list
daily_message number_now_is say_hour_and_minute record recording_and_entering_data record_system_messages
stt_dir_all_file say_amount_subscribers amount_incoming_phone_numbers counter_calculator template_add_number
template_remove_number yemot_dialer yemot_dialer_campaign_list yemot_dialer_campaign_start add_id_to_list
remove_id_from_list members_active sending_sms sending_sms_and_return send_fax recv_fax voicemail_email oref_alerts
oref_alerts_quiet_wave points_save points_edit points_say_total points_to_other_id points_and_rating chapter_receive
chapter_receive_mishnayot_select study_tracking tehillim_select_save_and_listen nedarim_plus pelecard cardcom
credit_card sale_seats sale_products donation_campaign donation_campaign_some_actions fundraising coupon
exchange_rates calculator_add_percentage examination examination_american seker trivia_questions approval_number
zmanim time_keeper limit_call_seconds confbridge conference_amount admin_login api create_ivr2
open_wap_reseller_customer checking_units tasks_report create_tts system_sharing telezchor
`.trim().split(/\s+/);

/** Modules whose keys §2.2 gives. */
const MODELLED = ['menu', 'playfile', 'record', 'api', 'routing', 'queue', 'go_to_folder', 'go_to_folder_count', 'go_to_folder_date', 'go_to_folder_time', 'go_to_folder_from_list_all_information', 'play_and_return', 'hangup', 'tzintuk', 'confbridge', 'create_tts', 'sending_sms_and_return'];

const CONFIDENCES = ['F', 'F~', 'G'];

describe('module types', () => {
  it('covers every slug of the reference, once each', () => {
    const types = MODULE_TYPES.map((module) => module.type);
    expect(new Set(types).size).toBe(types.length);
    expect([...types].sort()).toEqual([...new Set(REFERENCE_SLUGS)].sort());
  });

  it('each has a group, summary, source and confidence; the modelled ones are those of §2.2', () => {
    for (const module of MODULE_TYPES) {
      expect(module.group, module.type).not.toBe('');
      expect(module.summary, module.type).not.toBe('');
      expect(module.source, module.type).not.toBe('');
      expect(CONFIDENCES, module.type).toContain(module.confidence);
    }
    expect(MODULE_TYPES.filter((module) => module.modelled).map((module) => module.type).sort()).toEqual([...MODELLED].sort());
    expect(moduleInfo('key_play_set_record_go_to_foldar')?.sic).toBe(true);
    expect(moduleInfo('menu')).toMatchObject({ confidence: 'F', modelled: true, group: 'menus' });
    expect(moduleInfo('seker')).toMatchObject({ confidence: 'F~', modelled: false });
    expect(moduleInfo('voicemail')).toBeUndefined();
  });
});

describe('setting keys', () => {
  it('has no duplicate names', () => {
    const names = SETTING_KEYS.map((key) => key.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(235);
  });

  it('each has a summary, source, confidence and modules that exist', () => {
    const types = new Set(MODULE_TYPES.map((module) => module.type));
    for (const key of SETTING_KEYS) {
      expect(key.summary, key.name).not.toBe('');
      expect(key.source, key.name).not.toBe('');
      expect(CONFIDENCES, key.name).toContain(key.confidence);
      if (key.modules !== 'any') {
        expect(key.modules.length, key.name).toBeGreaterThan(0);
        for (const type of key.modules) expect(types.has(type), `${key.name}: ${type}`).toBe(true);
      }
    }
  });

  it('navigating keys take a target and say when; others do not', () => {
    for (const key of SETTING_KEYS) {
      if (key.navigates) {
        expect(key.value.kind, key.name).toBe('target');
        expect(key.when, key.name).toBeDefined();
      } else {
        expect(key.when, key.name).toBeUndefined();
      }
    }
  });

  it('every example is one ext.ini line of its own key, with a value that passes its own check', () => {
    for (const key of SETTING_KEYS) {
      const { lines } = parseIni(key.example);
      expect(lines, key.example).toHaveLength(1);
      expect(lines[0].kind, key.example).toBe('setting');
      const line = lines[0] as SettingLine;
      expect(keyInfo(line.key), key.example).toBe(key);
      const written = key.example.slice(0, key.example.indexOf('='));
      const type = key.modules === 'any' ? 'menu' : key.modules[0];
      expect(checkSettings({ type, after: { [written]: line.value }, changed: [written] }), key.example).toEqual([]);
    }
  });

  it('keeps the vendor\'s misspellings, marked sic', () => {
    for (const name of ['manu_say_last_play', 'sending_sms_and_return_eroor_goto', 'conf_bridge_send_thintuk', 'enter_foldar_end_time']) {
      expect(keyInfo(name)?.sic, name).toBe(true);
    }
    expect(SETTING_KEYS.filter((key) => key.sic).length).toBe(4);
  });

  it('records documented ranges and defaults', () => {
    expect(keyInfo('tzintuk_timeout')).toMatchObject({ value: { kind: 'number', max: 10 }, default: '8' });
    expect(keyInfo('rate')).toMatchObject({ value: { kind: 'number', min: -10, max: 10 }, default: '0' });
    expect(keyInfo('queue_timeout')?.default).toBe('600');
    expect(keyInfo('start')).toMatchObject({ default: 'max', value: { kind: 'enum', values: ['max', 'min', 'select', 'select_up', 'select_down'] } });
    expect(keyInfo('digits')?.default).toBe('1');
    expect(keyInfo('timeout')?.default).toBe('7');
    expect(keyInfo('after_play')?.default).toBe('return');
    expect(keyInfo('conf_bridge_type')?.default).toBe('listen');
    expect(keyInfo('api_link')?.value).toEqual({ kind: 'url', https: true });
    expect(keyInfo('folder_to_play')).toMatchObject({ value: { kind: 'path', style: 'no-leading-slash' }, also: ['tfr'] });
    expect(keyInfo('api_dir')?.value).toEqual({ kind: 'path', style: 'absolute' });
    expect(keyInfo('playfile_end_goto')).toMatchObject({ navigates: true, when: 'end', modules: ['playfile'], example: 'playfile_end_goto=/' });
    expect(keyInfo('timeout_goto')).toMatchObject({ navigates: true, when: 'timeout' });
    expect(keyInfo('password')?.modules).toBe('any');
  });

  it('includes the api_*_send flags of §4.2', () => {
    for (const name of ['api_call_id_send', 'api_phone_send', 'api_did_send', 'api_real_did_send', 'api_extension_send', 'api_enter_id_send', 'api_enter_id_name_send', 'api_time_send', 'api_hangup_send']) {
      expect(keyInfo(name)?.value.kind, name).toBe('yesno');
    }
  });

  it('leaves queue.ini keys out (another file)', () => {
    for (const name of ['maxlen', 'memberdelay', 'announce-frequency', 'queueactive', 'wrapuptime']) expect(keyInfo(name), name).toBeUndefined();
  });
});

describe('keyInfo', () => {
  it.each([
    ['api_add_3', 'api_add_N'],
    ['api_add_0', 'api_add_N'],
    ['control_play5', 'control_playX'],
    ['control_play*', 'control_playX'],
    ['control_play#', 'control_playX'],
    ['routing2', 'routingN'],
    ['routing12', 'routingN'],
    ['go_to_folder_time_3', 'go_to_folder_time_N'],
    ['api_000', 'api_NNN'],
    ['api_000_key_1_say', 'api_NNN_key_X_say'],
    ['api_answer_OK', 'api_answer_WORD'],
    ['api_answer_OK_2', 'api_answer_WORD_N'],
    ['read_answer_city_5', 'read_answer_VAR_VALUE'],
    ['after_play_005_go_to_folder', 'after_play_NNN_go_to_folder'],
    ['playfile_005_control_play_3_goto', 'playfile_NNN_control_play_X_goto'],
    ['playfile_control_play_3_goto', 'playfile_control_play_X_goto'],
    ['control_play_moreA2', 'control_play_moreAX'],
    ['menu_check_playfile_message_2_say_new_only', 'menu_check_playfile_message_N_say_new_only'],
    ['routing_count_1', 'routing_count_N'],
    ['routing_count', 'routing_count'],
    ['routing_start', 'routing_start'],
    ['M1001_say', 'M1001_say'],
  ])('%s -> %s', (name, family) => {
    expect(keyInfo(name)?.name).toBe(family);
  });

  it.each(['routing', 'api_add_', 'api_add_x', 'control_play10', 'routingN', 'api_00', 'Type', 'unknown_key', ''])('%s is not a key', (name) => {
    expect(keyInfo(name)).toBeUndefined();
  });
});
