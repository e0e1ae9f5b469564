// The MCP bundle's manifest.json (MCPB manifest 0.3), from package.json and the built tool table.
// The settings form Claude Desktop shows is `user_config`; each answer reaches the server as a YEMOT_*
// variable through `server.mcp_config.env`. The tool list is what a default install serves; the "Tool groups"
// setting serves more (tools_generated), and the long description says which and how.

export const MANIFEST_VERSION = '0.3';
export const ICON_FILE = 'icon.png';
export const ENTRY_POINT = 'dist/main.js';

/**
 * Every setting is optional and has a default: the host substitutes `${user_config.KEY}` only for keys
 * that have a value, so a field left blank without a default would reach the server as the literal
 * text "${user_config.KEY}" (a bogus token, an unknown effect). Blank strings and `false` read as unset.
 */
function settings(toolsets, counts) {
  return {
    username: {
      type: 'string',
      title: 'System number',
      description: 'Your Yemot system number (for example 0770000000). Give it with its password below: the recommended way.',
      default: '',
    },
    password: {
      type: 'string',
      title: 'Password',
      description: 'The password of that system, the one you log in to the Yemot website with. Kept in your computer\'s keychain.',
      sensitive: true,
      default: '',
    },
    token: {
      type: 'string',
      title: 'Token (only if you cannot give the password)',
      description:
        'A session token that Yemot\'s Login gave another program of yours. It stops working after 30 minutes without a call, and then every request fails until you paste a new one: prefer the number and password. Kept in your computer\'s keychain.',
      sensitive: true,
      default: '',
    },
    sandbox: {
      type: 'boolean',
      title: 'Sandbox: try it first',
      description: 'Use a built-in simulated Yemot account instead of yours: nothing reaches Yemot, no units are spent, no password needed.',
      default: false,
    },
    allow: {
      type: 'string',
      title: 'Allowed actions',
      description:
        'What Claude may do, comma-separated: read, write, irreversible (changes that cannot be undone: hanging up calls, stopping a campaign, a new admin password), delete, spend (calls and messages that use units). Each irreversible, delete and spend call still asks you first. For example: read,write',
      default: 'read,write,irreversible,delete,spend',
    },
    read_only: {
      type: 'boolean',
      title: 'Read-only',
      description: 'Only look, never change anything (overrides allowed actions).',
      default: false,
    },
    toolsets: {
      type: 'string',
      title: 'Tool groups',
      description: `Which groups of tools Claude gets, comma-separated: default (${counts.default} tools), all (${counts.all} tools), or default plus names from ${toolsets.join(', ')}, e.g. default,caller_ids.`,
      default: 'default',
    },
    files_dir: {
      type: 'directory',
      title: 'Folder for local files',
      description: 'A folder where Claude may read files to upload and save downloads. Empty: no access to your files.',
      default: '',
    },
  };
}

const ENV = {
  YEMOT_USERNAME: 'username',
  YEMOT_PASSWORD: 'password',
  YEMOT_TOKEN: 'token',
  YEMOT_SANDBOX: 'sandbox',
  YEMOT_ALLOW: 'allow',
  YEMOT_READ_ONLY: 'read_only',
  YEMOT_TOOLSETS: 'toolsets',
  YEMOT_FILES_DIR: 'files_dir',
};

/** The long description: what a default install serves, and what each other group adds. */
function longDescription(pkg, served, toolsetTable) {
  const off = Object.entries(toolsetTable).filter(([, toolset]) => !toolset.default);
  return [
    pkg.description,
    '',
    `A default install serves the ${served.length} tools listed here. The "Tool groups" setting adds more: \`all\`, or \`default\` plus the names of these groups:`,
    ...off.map(([name, toolset]) => `- \`${name}\`: ${toolset.summary}`),
    '',
    'Start with "Sandbox" ticked to try it on a simulated account. The first real request asks for two-factor verification: a code Yemot sends you by SMS, call or email, which you type in the chat (or a link you open).',
  ].join('\n');
}

/**
 * @param pkg package.json; @param tools the built TOOLS table; @param toolsetTable the built TOOLSET_TABLE (names,
 * summaries, which are on by default)
 */
export function buildManifest(pkg, tools, toolsetTable) {
  const served = tools.filter((tool) => toolsetTable[tool.toolset].default);
  return {
    manifest_version: MANIFEST_VERSION,
    name: pkg.name,
    display_name: 'Yemot HaMashiach (call2all)',
    version: pkg.version,
    description: pkg.description,
    long_description: longDescription(pkg, served, toolsetTable),
    author: { name: 'yemot-mcp contributors' },
    license: pkg.license,
    keywords: ['yemot', 'call2all', 'ivr', 'telephony', 'tts', 'sms'],
    icon: ICON_FILE,
    server: {
      type: 'node',
      entry_point: ENTRY_POINT,
      mcp_config: {
        command: 'node',
        args: [`\${__dirname}/${ENTRY_POINT}`],
        env: Object.fromEntries(Object.entries(ENV).map(([variable, key]) => [variable, `\${user_config.${key}}`])),
      },
    },
    tools: served.map((tool) => ({ name: tool.name, description: tool.summary })),
    tools_generated: true,
    user_config: settings(Object.keys(toolsetTable), { default: served.length, all: tools.length }),
    compatibility: {
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: pkg.engines.node },
    },
  };
}
