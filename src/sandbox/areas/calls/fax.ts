import { fail, type Area, type CommandContext } from '../../handler.js';
import { campaignId, isHttpUrl, optString, requireString } from '../../params.js';
import { assertApprovedCaller, LOCAL_PHONE } from '../../phones.js';
import type { CampaignRecord } from '../../state.js';
import { fileBytes, findFile, pathSegments } from '../../vfs.js';
import { startCampaign } from '../campaigns/send-tts.js';

/** "Billed like a call" (the rate is not published); this is the sandbox's. */
const FAX_UNITS = 1;
const UPLOAD = 'UPLOAD';
const PART = 'fileToUpload';

type FaxDocument = NonNullable<CampaignRecord['fax']>;

const isPdf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 4)).toString('latin1') === '%PDF';

/** pdfFile=UPLOAD: the PDF comes in the multipart part fileToUpload. */
function uploadedPdf({ files, contentType }: CommandContext): FaxDocument {
  const parts = files.filter((file) => file.name === PART);
  if (contentType !== 'multipart/form-data' || parts.length === 0) fail(`pdfFile=${UPLOAD} needs a multipart/form-data POST with the PDF in a file part named ${PART}`);
  if (parts.length > 1) fail(`${PART}: send one file`);
  const [part] = parts;
  if (part.contentType.toLowerCase() !== 'application/pdf') fail(`${PART} must have content type application/pdf, not ${part.contentType || 'none'}`);
  if (!isPdf(part.bytes)) fail(`${PART} is not a PDF: its bytes must start with %PDF`);
  return { source: 'upload', fileName: part.filename, bytes: part.bytes.length };
}

/** A PDF already in the IVR, e.g. /45/123.pdf. */
function storedPdf(ctx: CommandContext, path: string): FaxDocument {
  const segments = pathSegments(path, 'pdfFile');
  const name = segments.at(-1) ?? '';
  if (!/\.pdf$/i.test(name)) fail(`pdfFile must be a URL, an IVR path of a .pdf file, or ${UPLOAD}: ${path}`);
  const file = findFile(ctx.state.ivr, segments) ?? fail(`pdfFile not found: ${path}`);
  const bytes = fileBytes(file);
  if (!isPdf(bytes)) fail(`pdfFile is not a PDF: ${path}`);
  return { source: 'ivr', fileName: name, bytes: bytes.length };
}

/** A public URL: the vendor fetches it when it sends; the sandbox never does (loopback only). */
function linkedPdf(url: string): FaxDocument {
  const name = new URL(url).pathname.split('/').at(-1) || url;
  return { source: 'url', fileName: name };
}

export const fax: Area = {
  SendFax: {
    handle(ctx) {
      const { params, state, files } = ctx;
      const phone = requireString(params, 'phone').trim();
      if (!LOCAL_PHONE.test(phone)) fail(`phone ${phone} is invalid: a local fax number is expected, like 035551234`);
      const callerId = optString(params, 'callerId')?.trim() || state.mainDid;
      assertApprovedCaller(state, callerId);
      const deliveryUrl = optString(params, 'deliveryUrl')?.trim();
      if (deliveryUrl !== undefined && !isHttpUrl(deliveryUrl)) fail('deliveryUrl must be an http(s) URL');
      const pdfFile = requireString(params, 'pdfFile').trim();
      const upload = pdfFile === UPLOAD;
      if (!upload && files.some((file) => file.name === PART)) fail(`${PART} is sent only with pdfFile=${UPLOAD}`);
      const document = upload ? uploadedPdf(ctx) : isHttpUrl(pdfFile) ? linkedPdf(pdfFile) : storedPdf(ctx, pdfFile);
      const CampaignId = campaignId(5, state.mainDid);
      startCampaign(state, { command: 'SendFax', campaignId: CampaignId, numbers: [phone], callerId, fax: { ...document, deliveryUrl }, units: FAX_UNITS }, ctx.now);
      return { callerId, CampaignId, deliveryUrl: deliveryUrl ?? '', fileNameSend: document.fileName, callsCount: 1, bilingPerCall: FAX_UNITS, biling: FAX_UNITS };
    },
  },
};
