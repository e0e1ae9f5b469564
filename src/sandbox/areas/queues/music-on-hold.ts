import { fail, type Area } from '../../handler.js';
import { requireString } from '../../params.js';
import type { AccountState } from '../../state.js';
import { findFolder, ivr2Path, own, pathSegments } from '../../vfs.js';

/**
 * Undocumented by the vendor (names and params from one client's "not documented" section): kept
 * minimal. A class is a name bound to an IVR folder of audio.
 */

const CLASS_NAME = /^[A-Za-z0-9_-]{1,40}$/;

/** The folder as `ivr2:/…`; refused when it does not exist. */
function existingFolder(state: AccountState, path: string, field: string): string {
  const segments = pathSegments(path, field);
  if (!findFolder(state.ivr, segments)) fail(`${field}: folder not found: ${path}`);
  return ivr2Path(segments);
}

export const musicOnHold: Area = {
  CreateMusicOnHolds: {
    handle({ params, state }) {
      const name = requireString(params, 'name').trim();
      if (!CLASS_NAME.test(name)) fail('name must be 1-40 letters, digits, _ or -');
      if (own(state.musicOnHold, name) !== undefined) fail(`name ${name} already exists`);
      state.musicOnHold[name] = existingFolder(state, requireString(params, 'folderPath'), 'folderPath');
      return { status: true };
    },
  },
  DeleteMusicOnHolds: {
    handle({ params, state }) {
      const name = requireString(params, 'name').trim();
      if (own(state.musicOnHold, name) === undefined) fail(`name ${name} not found`);
      delete state.musicOnHold[name];
      return { status: true };
    },
  },
  GetMusicOnHoldByPath: {
    handle({ params, state }) {
      const folder = ivr2Path(pathSegments(requireString(params, 'path')));
      return { data: Object.entries(state.musicOnHold).filter(([, path]) => path === folder).map(([name, folderPath]) => ({ name, folderPath })) };
    },
  },
};
