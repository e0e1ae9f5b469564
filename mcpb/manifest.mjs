// The MCP bundle's manifest.json (MCPB manifest 0.3), from package.json and the built tool table.
// The settings form Claude Desktop shows is `user_config`; each answer reaches the server as a YEMOT_*
// variable through `server.mcp_config.env`.

export const MANIFEST_VERSION = '0.3';
export const ICON_FILE = 'icon.png';
export const ENTRY_POINT = 'dist/main.js';

/**
 * Every setting is optional and has a default: the host substitutes `${user_config.KEY}` only for keys
 * that have a value, so a field left blank without a default would reach the server as the literal
 * text "${user_config.KEY}" (a bogus token, an unknown effect). Blank strings and `false` read as unset.
 */
function settings(toolsets) {
  return {
    username: {
      type: 'string',
      title: 'System number',
      description: 'Your Yemot system number (for example 0770000000), used with the password below. Or leave it empty and give a token.',
      default: '',
    },
    password: {
      type: 'string',
      title: 'Password',
      description: 'The password of that system. Kept in your computer\'s keychain.',
      sensitive: true,
      default: '',
    },
    token: {
      type: 'string',
      title: 'Token (instead of number and password)',
      description: 'A Yemot API session token. Kept in your computer\'s keychain.',
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
      description: 'What Claude may do, comma-separated: read, write, irreversible, delete, spend (irreversible = changes that cannot be taken back, like hanging up calls; spend = calls and messages that use units). Each irreversible, delete and spend call still asks you first. For example: read,write',
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
      description: `Which groups of tools Claude gets, comma-separated: default, all, or ${toolsets.join(', ')}.`,
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

/** @param pkg package.json; @param tools the built TOOLS table; @param toolsets the toolset names */
export function buildManifest(pkg, tools, toolsets) {
  return {
    manifest_version: MANIFEST_VERSION,
    name: pkg.name,
    display_name: 'Yemot HaMashiach (call2all)',
    version: pkg.version,
    description: pkg.description,
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
    tools: tools.map((tool) => ({ name: tool.name, description: tool.summary })),
    tools_generated: false,
    user_config: settings(toolsets),
    compatibility: {
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: pkg.engines.node },
    },
  };
}
