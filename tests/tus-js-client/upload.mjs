// Uploads a file with tus-js-client, aborts midway, resumes from the offset the server reports, and prints one line
// of JSON: {"abortedAt", "serverOffset", "resumedFrom", "uploadUrl"}. Exits non-zero on any failure.
// Usage: node upload.mjs <folder URL> <file> <protocol: tus-v1 | ietf-draft-05 | ietf-draft-03> <chunk bytes> <abort after bytes>
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Upload } from 'tus-js-client';

const [endpoint, path, protocol, chunkText, abortText] = process.argv.slice(2);
const chunkSize = Number(chunkText);
const abortAfter = Number(abortText);
const file = readFileSync(path);
const deadline = setTimeout(() => fail(new Error('timed out after 120 s')), 120_000);

function fail(error) {
  console.error(`tus-js-client (${protocol}): ${error?.stack ?? error}`);
  process.exit(1);
}

function start(options) {
  return new Upload(file, {
    endpoint,
    protocol,
    chunkSize,
    metadata: { filename: basename(path), filetype: 'application/octet-stream' },
    ...options,
  });
}

// The offset the server reports for the upload, once it has stopped moving (the aborted request winds up).
async function serverOffset(url) {
  const headers = protocol === 'tus-v1' ? { 'Tus-Resumable': '1.0.0' } : { 'Upload-Draft-Interop-Version': protocol === 'ietf-draft-05' ? '6' : '5' };
  let last = -1;
  let steady = 0;
  for (let i = 0; i < 200; i++) {
    const response = await fetch(url, { method: 'HEAD', headers });
    if (!response.ok) throw new Error(`HEAD answered ${response.status}`);
    const offset = Number(response.headers.get('Upload-Offset'));
    steady = offset === last ? steady + 1 : 0;
    last = offset;
    if (steady >= 3) return offset;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the offset never settled (last ${last})`);
}

// First run: aborted once the client has sent `abortAfter` bytes, in the middle of a chunk.
const first = await new Promise((resolve, reject) => {
  let upload;
  upload = start({
    retryDelays: null,
    onError: reject,
    onSuccess: () => reject(new Error('the upload finished before it could be aborted')),
    onProgress: (sent) => {
      if (sent >= abortAfter && upload.url) {
        upload.abort().then(() => resolve({ url: upload.url, sent }), reject);
      }
    },
  });
  upload.start();
});

const offset = await serverOffset(first.url);

// Second run: the same upload URL; tus-js-client asks the server for the offset (HEAD) and sends the rest.
const resumedFrom = await new Promise((resolve, reject) => {
  let from = null;
  const upload = start({
    uploadUrl: first.url,
    retryDelays: [200, 500, 1000, 2000],
    onError: reject,
    onChunkComplete: (chunk, accepted) => { from ??= accepted - chunk; },
    onSuccess: () => resolve(from),
  });
  upload.start();
});

clearTimeout(deadline);
console.log(JSON.stringify({ abortedAt: first.sent, serverOffset: offset, resumedFrom, uploadUrl: first.url }));
