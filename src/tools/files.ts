import { z } from 'zod';
import { tool } from './command.js';
import { zeroOrOne } from './params.js';

const folderPath = z.string().min(1).max(300);

const fileInfo = z.looseObject({});

export const fileTools = [
  tool({
    name: 'render_ymgr_file',
    command: 'RenderYMGRFile',
    toolset: 'files',
    effect: 'read',
    summary: 'Render a .ymgr report file (call logs, votes, approvals) as json rows, csv or html.',
    params: {
      wath: z.string().min(1).max(300).describe('File path, e.g. ivr2:/Log/LogIncoming.ymgr (the API spells it wath)'),
      convertType: z.enum(['json', 'csv', 'html']).describe('json gives rows; csv and html give the file text'),
      notLoadLang: zeroOrOne('1 = raw columns, no translation files').optional(),
      renderLanguage: z.string().regex(/^[A-Z]{1,10}$/, 'must be capital letters, e.g. HE').optional().describe('Translation language; default HE'),
    },
    answer: 'text',
    output: { data: z.array(z.unknown()), content: z.string(), contentType: z.string() },
    examples: [
      { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'json' },
      { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'json', notLoadLang: 1, renderLanguage: 'EN' },
      { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'csv' },
      { wath: 'ivr2:/Log/LogIncoming.ymgr', convertType: 'html' },
    ],
  }),
  tool({
    name: 'check_folder_exists',
    command: 'CheckIfFolderExists',
    toolset: 'files',
    effect: 'read',
    summary: 'Tell whether an IVR folder (extension) exists.',
    params: { path: folderPath.describe('Folder, e.g. 1/10 or ivr2:/1/10') },
    output: { folderExists: z.boolean(), path: z.string() },
    examples: [{ path: '1' }],
  }),
  tool({
    name: 'get_folder_stats',
    command: 'GetIVR2DirStats',
    toolset: 'files',
    effect: 'read',
    summary: 'Summarise an IVR folder: type, sub-folder and file counts, lowest and highest audio file.',
    params: { path: folderPath.describe('Folder: / for the root, 1 for extension 1, ext/1') },
    output: {
      type: z.string(),
      thisPath: z.string(),
      parentPath: z.unknown(),
      dirsCount: z.number(),
      filesCount: z.number(),
      contentFilesCount: z.number(),
      minFile: fileInfo,
      maxFile: fileInfo,
    },
    examples: [{ path: '/' }],
  }),
];
