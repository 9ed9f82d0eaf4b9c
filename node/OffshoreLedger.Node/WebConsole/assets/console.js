// The web console: plain ES module, no dependencies. It calls this node's HTTP/JSON API (gRPC JSON transcoding) with
// the API key the user entered. The key is never stored in plain text: sessionStorage (this tab, this session) holds it
// encrypted with AES-GCM under a WebCrypto key that cannot be exported, kept in IndexedDB and replaced at each sign-in.
const KEY_ITEM = 'offshore-ledger.api-key';
const KEY_DB = 'offshore-ledger-console';
const PAGES = ['collateral', 'verify', 'title', 'trade', 'overview'];
const $ = (id) => document.getElementById(id);

// ---- API key ------------------------------------------------------------------------------------------------------
const hasKey = () => sessionStorage.getItem(KEY_ITEM) !== null;
const b64 = (bytes) => btoa(String.fromCharCode(...bytes));
const unb64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

/** The non-extractable AES key in IndexedDB: `put` stores a new one, else the current one (or undefined). */
function wrappingKey(put) {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(KEY_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore('keys');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const store = open.result.transaction('keys', put ? 'readwrite' : 'readonly').objectStore('keys');
      const request = put ? store.put(put, 'session') : store.get('session');
      request.onsuccess = () => { open.result.close(); resolve(put ?? request.result); };
      request.onerror = () => { open.result.close(); reject(request.error); };
    };
  });
}

async function storeKey(plain) {
  const key = await wrappingKey(await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plain)));
  sessionStorage.setItem(KEY_ITEM, JSON.stringify({ iv: b64(iv), data: b64(data) }));
}

/** The API key of this session, or null (none entered, or it cannot be decrypted any more: asked again). */
async function apiKey() {
  const item = sessionStorage.getItem(KEY_ITEM);
  if (!item) return null;
  try {
    const { iv, data } = JSON.parse(item);
    const key = await wrappingKey();
    if (!key) return null;
    return new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv) }, key, unb64(data)));
  } catch {
    return null;
  }
}

function forgetKey() {
  sessionStorage.removeItem(KEY_ITEM);
  indexedDB.deleteDatabase(KEY_DB);
  route();
}

// ---- Calling the node ---------------------------------------------------------------------------------------------
class NodeError extends Error {
  constructor(sentence, status) { super(sentence); this.status = status; }
}

const CODE_SENTENCES = {
  3: 'The node could not accept this request.',
  4: 'The node did not answer in time. Try again.',
  5: 'The node found nothing for this request.',
  6: 'This request was already made.',
  7: 'This API key is not allowed to do that.',
  8: 'The node refused this request for its size or pace.',
  9: 'The ledger refused this request in its current state.',
  13: 'The node failed while answering. Its operators can find the cause in its log.',
  14: 'The node cannot answer right now (for example, it cannot reach the chain). Try again shortly.',
  16: 'The node did not recognise this API key. Choose "Forget the API key" and enter it again.',
};

/** A google.rpc.Status as sentences: what happened, then the node's own explanation and each field at fault. */
function sentenceOf(status) {
  const lead = CODE_SENTENCES[status.code] ?? 'The node refused this request.';
  const parts = [lead];
  if (status.message && status.message !== lead) parts.push(status.message.endsWith('.') ? status.message : status.message + '.');
  for (const detail of status.details ?? []) {
    for (const v of detail.fieldViolations ?? []) parts.push(`${v.field}: ${v.description}.`);
  }
  return parts.join(' ');
}

async function call(method, path, body) {
  const key = await apiKey();
  if (!key) { sessionStorage.removeItem(KEY_ITEM); route(); throw new NodeError('Enter an API key first.'); }
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new NodeError('The node could not be reached. Check that it is running and that this page came from it.');
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : {}; } catch { /* not JSON: handled below */ }
  if (response.ok && json) return json;
  const status = json && typeof json.code === 'number' ? json : { code: 0, message: '' };
  throw new NodeError(status.code ? sentenceOf(status) : `The node answered with an error (HTTP ${response.status}) it did not explain.`, status);
}

// ---- Reading files ------------------------------------------------------------------------------------------------
async function readJson(file, what) {
  const text = await file.text();
  try { return { text, json: JSON.parse(text) }; } catch {
    throw new NodeError(`The ${what} "${file.name}" is not JSON.`);
  }
}

const TYPES = {
  billOfLading: 'TRADE_DOCUMENT_TYPE_BILL_OF_LADING',
  commercialInvoice: 'TRADE_DOCUMENT_TYPE_COMMERCIAL_INVOICE',
  settlementRecord: 'TRADE_DOCUMENT_TYPE_SETTLEMENT_RECORD',
  loadingAttestation: 'TRADE_DOCUMENT_TYPE_LOADING_ATTESTATION',
};
const TYPE_NAMES = {
  TRADE_DOCUMENT_TYPE_BILL_OF_LADING: 'bill of lading',
  TRADE_DOCUMENT_TYPE_COMMERCIAL_INVOICE: 'commercial invoice',
  TRADE_DOCUMENT_TYPE_SETTLEMENT_RECORD: 'settlement record',
  TRADE_DOCUMENT_TYPE_LOADING_ATTESTATION: 'loading attestation',
};

/** A file as a TradeDocument, its type and format told from its content as the CLI does. */
async function tradeDocument(file) {
  const { text, json } = await readJson(file, 'document');
  if (!json || typeof json !== 'object' || Array.isArray(json)) throw new NodeError(`The document "${file.name}" is not a JSON object.`);
  const dcsa = ['documentParties', 'transports', 'utilizedTransportEquipments', 'transportDocumentTypeCode'].some((p) => p in json);
  let type = dcsa ? TYPES.billOfLading
    : TYPES[json.documentType] ?? ('invoiceNumber' in json ? TYPES.commercialInvoice
      : 'uetr' in json ? TYPES.settlementRecord
      : 'attestationReference' in json ? TYPES.loadingAttestation
      : 'transportDocumentReference' in json ? TYPES.billOfLading : null);
  if (!type) throw new NodeError(`"${file.name}" is not a bill of lading, invoice, settlement record or loading attestation this console recognises.`);
  return { type, format: dcsa ? 'DOCUMENT_FORMAT_DCSA_EBL_3' : 'DOCUMENT_FORMAT_OFFSHORE_LEDGER', json: text };
}

const hexToBase64 = (hex, what) => {
  if (typeof hex !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(hex)) throw new NodeError(`The proof file's ${what} is not 0x-hex.`);
  const bytes = hex.slice(2).match(/../g)?.map((b) => parseInt(b, 16)) ?? [];
  return btoa(String.fromCharCode(...bytes));
};
const base64ToHex = (b64) => b64 ? '0x' + Array.from(atob(b64), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('') : '';

/** The proof file written by `offshore trader proof --out`: {documentHash, merkleRoot, leafIndex, treeSize, auditPath}. */
async function proofFile(file) {
  const { json } = await readJson(file, 'proof file');
  if (!json || json.merkleRoot === undefined || json.leafIndex === undefined || !Array.isArray(json.auditPath)) {
    throw new NodeError(`"${file.name}" is not a proof file: it needs merkleRoot, leafIndex, treeSize and auditPath.`);
  }
  return {
    documentHash: json.documentHash ? String(json.documentHash).toLowerCase() : null,
    merkleRoot: hexToBase64(json.merkleRoot, 'merkleRoot'),
    proof: { leafIndex: String(json.leafIndex), treeSize: String(json.treeSize), auditPath: json.auditPath.map((p) => hexToBase64(p, 'auditPath')) },
  };
}

// ---- Rendering ----------------------------------------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}
const when = (ts) => ts ? new Date(ts).toUTCString() : 'an unknown time';
const stamp = (asOf) => asOf ? el('p', { class: 'muted' }, `As of block ${asOf.blockNumber}`, asOf.stale ? ' (the node is behind the chain: this may be out of date)' : '', '.') : null;
const table = (head, rows) => el('table', {}, el('thead', {}, el('tr', {}, head.map((h) => el('th', { scope: 'col' }, h)))),
  el('tbody', {}, rows.map((r) => el('tr', {}, r.map((c) => el('td', {}, c))))));
function show(target, ...nodes) { target.replaceChildren(...nodes); }
function showError(target, error) {
  show(target, el('p', { class: 'error', role: 'alert' }, error instanceof NodeError ? error.message : `Something went wrong in this page: ${error.message}`));
}

/** Runs a form's work, showing progress and a sentence on failure. */
function onSubmit(formId, resultId, work) {
  $(formId).addEventListener('submit', async (event) => {
    event.preventDefault();
    const target = $(resultId);
    show(target, el('p', { class: 'muted' }, 'Asking the node…'));
    try { await work(target); } catch (error) { showError(target, error); }
  });
}

// ---- Who an address is --------------------------------------------------------------------------------------------
// The consortium's member directory (names and LEIs governance recorded on chain), read once per page load: answers
// name members as "Devnet Bank A (0x90f7…b906)". A node that cannot answer it leaves addresses as they are.
let directory = null;
async function loadDirectory() {
  if (directory) return directory;
  try {
    const r = await call('GET', '/v1/members');
    directory = new Map((r.members ?? []).filter((m) => m.name).map((m) => [m.address.toLowerCase(), m.name]));
  } catch {
    directory = new Map();
  }
  return directory;
}
const shortAddress = (a) => (a && a.length === 42 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a);
const who = (address) => {
  const name = address && directory?.get(address.toLowerCase());
  return name ? `${name} (${shortAddress(address)})` : address;
};

// ---- Check collateral ---------------------------------------------------------------------------------------------
const lockText = (lock) => `pledged to ${who(lock.pledgee)} (pledge ${lock.pledgeId}) until ${when(lock.expiresAt)}`;

onSubmit('collateral-form', 'collateral-result', async (target) => {
  const file = $('collateral-file').files[0];
  const title = $('collateral-title').value.trim();
  if (!file && !title) throw new NodeError('Choose a document file or type a title id.');
  if (title && !/^[0-9]+$/.test(title)) throw new NodeError('A title id is a whole number, such as 1.');
  const request = file ? { documents: [await tradeDocument(file)] } : { titleIds: [title] };
  const r = await call('POST', '/v1/collateral:check', request);
  await loadDirectory();
  const lines = [];
  for (const t of r.titles ?? []) {
    const status = t.status === 'TITLE_STATUS_SURRENDERED' ? 'surrendered' : 'live';
    lines.push(el('li', {}, `Title ${t.titleId} (${status}, held by ${who(t.holder)}): `,
      t.lock ? lockText(t.lock) : 'not pledged', t.lot?.overIssued ? '; its lot is over-issued' : '', '.'));
  }
  // Keys of one title under one lock read as one line; a key in no title (an invoice, a settlement) reads alone.
  const groups = new Map();
  for (const k of r.keys ?? []) {
    if (k.titleId && k.titleId !== '0' && (r.titles ?? []).some((t) => t.titleId === k.titleId)) continue;
    const id = k.titleId && k.titleId !== '0' ? `title:${k.titleId}:${k.lock?.pledgeId ?? ''}:${!!k.lotOverIssued}` : `key:${k.key?.value}`;
    if (!groups.has(id)) groups.set(id, { ...k, count: 0 });
    groups.get(id).count++;
  }
  for (const k of groups.values()) {
    const what = k.titleId && k.titleId !== '0'
      ? `Title ${k.titleId} (${k.count} collateral key${k.count === 1 ? '' : 's'} of this document)`
      : `Key ${base64ToHex(k.key?.value)} (in no title)`;
    lines.push(el('li', {}, `${what}: `, k.lock ? lockText(k.lock) : 'not pledged', k.lotOverIssued ? '; its lot is over-issued' : '', '.'));
  }
  show(target,
    el('p', { class: `verdict ${r.clear ? 'clear' : 'not-clear'}` }, r.clear ? 'CLEAR' : 'NOT CLEAR'),
    el('p', {}, r.clear ? 'Nothing here is pledged or over-issued: it is free to finance.' : 'Some of this collateral is already financed or over-issued.'),
    lines.length ? el('ul', {}, lines) : null,
    stamp(r.asOf));
});

// ---- Verify a document --------------------------------------------------------------------------------------------
onSubmit('verify-form', 'verify-result', async (target) => {
  const file = $('verify-file').files[0];
  if (!file) throw new NodeError('Choose the document to verify.');
  const document = await tradeDocument(file);
  const proofSource = $('verify-proof').files[0];
  const proof = proofSource ? await proofFile(proofSource) : null;
  const r = await call('POST', '/v1/documents:verify', { document, ...(proof ? { proof: proof.proof, merkleRoot: proof.merkleRoot } : {}) });
  await loadDirectory();
  const hash = base64ToHex(r.documentHash);
  if (r.anchored) {
    show(target, el('p', { class: 'verdict pass' }, 'ANCHORED'),
      el('p', {}, `This ${TYPE_NAMES[document.type]} was anchored by ${who(r.submitter)} on ${when(r.anchoredAt)}, in block ${r.blockNumber}.`),
      el('p', {}, 'Document hash ', el('span', { class: 'hash' }, hash)), stamp(r.asOf));
    return;
  }
  let why;
  if (proof?.documentHash && proof.documentHash !== hash) {
    why = `TAMPERED: this file is not the document its proof was made for. Its hash is ${hash}; the proof is for ${proof.documentHash}. Someone changed the document after it was anchored.`;
  } else if (proof) {
    why = 'WRONG PROOF: the proof does not lead from this document to an anchored Merkle root on the ledger.';
  } else {
    why = 'NOT ANCHORED: the node holds no anchored proof for this document. Ask its owner for the proof file.';
  }
  show(target, el('p', { class: 'verdict not-clear' }, why.split(':')[0]), el('p', {}, why), stamp(r.asOf));
});

// ---- Title history ------------------------------------------------------------------------------------------------
function describeEvent(e) {
  if (e.registered) return ['Registered', `to ${who(e.registered.holder)} by ${who(e.registered.registrar)}: ${e.registered.quantity} ${e.registered.unit}.`];
  if (e.transferred) return ['Transferred', `from ${who(e.transferred.from)} to ${who(e.transferred.to)} by ${who(e.transferred.by)}.`];
  if (e.surrendered) return ['Surrendered', `by ${who(e.surrendered.by)}.`];
  if (e.pledged) return ['Pledged', `to ${who(e.pledged.pledgee)} (pledge ${e.pledged.pledgeId}) until ${when(e.pledged.expiresAt)}${e.pledged.borrower ? `, borrower ${who(e.pledged.borrower)}` : ''}.`];
  if (e.pledgeBlocked) return ['Blocked attempt', `${who(e.pledgeBlocked.bank)} tried to pledge it while pledge ${e.pledgeBlocked.conflictingPledgeId} held it; the ledger refused and recorded the attempt.`];
  if (e.released) return ['Released', `pledge ${e.released.pledgeId} by ${who(e.released.by)}.`];
  return ['Event', 'of a kind this console does not know.'];
}

onSubmit('title-form', 'title-result', async (target) => {
  const id = $('title-id').value.trim();
  if (!/^[0-9]+$/.test(id)) throw new NodeError('A title id is a whole number, such as 1.');
  const r = await call('GET', `/v1/titles/${encodeURIComponent(id)}/history`);
  await loadDirectory();
  const items = (r.events ?? []).map((e) => {
    const [what, text] = describeEvent(e);
    return el('li', { class: e.pledgeBlocked ? 'blocked' : '' }, el('strong', {}, what), ' ', text,
      el('br'), el('span', { class: 'muted' }, `Block ${e.blockNumber}, transaction `), el('span', { class: 'hash' }, base64ToHex(e.transactionHash)));
  });
  show(target, el('h2', {}, `Title ${id}`), items.length ? el('ol', { class: 'timeline' }, items) : el('p', {}, 'No events.'), stamp(r.asOf));
});

// ---- Trade verification -------------------------------------------------------------------------------------------
async function documentRef(inputId, proofId) {
  const file = $(inputId).files[0];
  if (!file) return null;
  const ref = { document: await tradeDocument(file) };
  const proofSource = proofId ? $(proofId).files[0] : null;
  if (proofSource) Object.assign(ref, await proofFile(proofSource));
  delete ref.documentHash;
  return ref;
}
const OUTCOMES = { CHECK_OUTCOME_PASS: ['PASS', 'pass'], CHECK_OUTCOME_WARN: ['WARN', 'warn'], CHECK_OUTCOME_FAIL: ['FAIL', 'fail'] };

onSubmit('trade-form', 'trade-result', async (target) => {
  // A settlement's proof is the proof file named after it (settlement-sale.json → settlement-sale.proof.json), else the
  // proof in the same position.
  const settlements = [];
  const settlementProofs = [...$('trade-settlements-proofs').files];
  const stem = (name) => name.replace(/\.json$/i, '');
  for (const [i, f] of [...$('trade-settlements').files].entries()) {
    const ref = { document: await tradeDocument(f) };
    const proofSource = settlementProofs.find((p) => p.name.startsWith(stem(f.name) + '.')) ?? settlementProofs[i];
    if (proofSource) {
      const { documentHash, ...proof } = await proofFile(proofSource);
      Object.assign(ref, proof);
    }
    settlements.push(ref);
  }
  const request = {
    purchaseInvoice: await documentRef('trade-purchase', 'trade-purchase-proof'),
    salesInvoice: await documentRef('trade-sales', 'trade-sales-proof'),
    billOfLading: await documentRef('trade-bl', 'trade-bl-proof'),
    loadingAttestation: await documentRef('trade-attestation'),
    settlements,
  };
  for (const [k, v] of Object.entries(request)) if (v === null) delete request[k];
  const r = await call('POST', '/v1/trades:verify', request);
  const [verdict, css] = OUTCOMES[r.verdict] ?? ['UNKNOWN', 'warn'];
  const rows = (r.checks ?? []).map((c) => {
    const [o, oc] = OUTCOMES[c.outcome] ?? ['?', 'warn'];
    const evidence = (c.evidence ?? []).map((e) => el('li', {}, e.description,
      e.blockNumber && e.blockNumber !== '0' ? ` (block ${e.blockNumber})` : '', e.member ? `, ${e.member}` : ''));
    return [c.name, el('span', { class: oc }, o), el('div', {}, c.reason ?? '', evidence.length ? el('ul', {}, evidence) : null)];
  });
  show(target, el('p', { class: `verdict ${css}` }, verdict),
    r.titleId && r.titleId !== '0' ? el('p', {}, `Title ${r.titleId}.`) : null,
    table(['Check', 'Outcome', 'Reason and evidence'], rows), stamp(r.asOf));
});

// ---- Ledger overview ----------------------------------------------------------------------------------------------
const ROLE_NAMES = { MEMBER_ROLE_BANK: 'bank', MEMBER_ROLE_PORT: 'port', MEMBER_ROLE_TRADER: 'trader', MEMBER_ROLE_CARRIER: 'carrier', MEMBER_ROLE_AUDITOR: 'auditor' };

async function showNode() {
  const target = $('overview-node');
  try {
    const n = await call('GET', '/v1/node');
    const behind = Number(n.chainHead ?? 0) - Number(n.synced?.blockNumber ?? 0);
    show(target, el('h2', {}, 'This node'), table(['What', 'Value'], [
      ['Organisation', `${n.organisationName ? `${n.organisationName}, ` : ''}${n.address} (${(n.roles ?? []).map((r) => ROLE_NAMES[r] ?? r).join(', ') || 'no role'}${n.activeMember ? '' : ', not an active member'})`],
      ...(n.lei ? [['LEI', n.lei]] : []),
      ['Chain', `${n.chainId}, contract ${n.contractAddress}`],
      ['Sync', n.chainReachable === false ? 'The chain cannot be reached.'
        : `Synced to block ${n.synced?.blockNumber ?? 0} of ${n.chainHead ?? 0}${behind > 0 ? ` (${behind} behind)` : ' (up to date)'}; ${n.confirmationDepth} confirmations.`],
      ['Version', n.nodeVersion],
    ]));
    $('node-name').textContent = `— ${n.organisationName ? `${n.organisationName} (${shortAddress(n.address)})` : n.address}`;
  } catch (error) { showError(target, error); }
}

onSubmit('report-form', 'report-result', async (target) => {
  const file = $('report-file').files[0];
  if (!file) throw new NodeError('Choose the audit report file.');
  const { json: report } = await readJson(file, 'audit report');
  if (!report || typeof report.format !== 'string' || !report.format.startsWith('offshore-ledger-audit/')) {
    throw new NodeError(`"${file.name}" is not an audit report of offshore auditor replay (its format should be offshore-ledger-audit/1).`);
  }
  const c = report.counts ?? {};
  const counts = [['Titles live', c.titlesLive], ['Titles pledged', c.titlesPledged], ['Titles surrendered', c.titlesSurrendered],
    ['Pledges granted', c.pledgesGranted], ['Pledges active', c.pledgesActive], ['Blocked attempts', c.pledgesBlocked],
    ['Lots', c.lots], ['Lots attested', c.lotsAttested], ['Lots over-issued', c.lotsOverIssued], ['Anchored batches', c.anchors], ['Members', c.members]];
  const blocked = (report.blockedAttempts ?? []).slice(-20).reverse().map((b) => [String(b.at?.block), b.bank,
    `pledge ${b.conflictingPledgeId}${b.conflictingPledgee ? ` of ${b.conflictingPledgee}` : ''}`, (b.titleIds ?? []).join(', ') || '—']);
  const lots = (report.overIssuedLots ?? []).map((l) => [el('span', { class: 'hash' }, l.lotKey), String(l.attested), String(l.liveAtAttestation), l.port, String(l.at?.block)]);
  show(target,
    el('p', {}, `Chain ${report.chainId}, contract ${report.contract}, blocks ${report.fromBlock} to ${report.toBlock}, made ${when(report.generatedAt)}.`),
    el('p', {}, report.stateCheck ? 'The rebuilt state was checked against the contract.' : `State check not run${report.stateCheckNotRun ? `: ${report.stateCheckNotRun}` : ''}.`),
    el('h3', {}, 'Counts'), table(['Kind', 'Count'], counts.map(([k, v]) => [k, String(v ?? '—')])),
    el('h3', {}, 'Recent blocked attempts'), blocked.length ? table(['Block', 'Bank', 'Blocked by', 'Titles'], blocked) : el('p', {}, 'None.'),
    el('h3', {}, 'Over-issued lots'), lots.length ? table(['Lot', 'Attested', 'Live when attested', 'Port', 'Block'], lots) : el('p', {}, 'None.'),
    el('p', {}, 'Digest ', el('span', { class: 'hash' }, report.digest ?? '—')));
});

// ---- Navigation and drop zones ------------------------------------------------------------------------------------
function route() {
  const signedIn = hasKey();
  const wanted = location.hash.slice(1);
  const page = signedIn ? (PAGES.includes(wanted) ? wanted : 'collateral') : 'key';
  for (const section of document.querySelectorAll('.page')) section.hidden = section.id !== `page-${page}`;
  for (const link of document.querySelectorAll('nav a')) {
    if (link.getAttribute('href') === `#${page}`) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  $('forget-key').hidden = !signedIn;
  document.title = `${page === 'key' ? 'Sign in' : $(`${page}-heading`).textContent} — OffshoreLedger console`;
  if (page === 'overview') showNode();
  $('main').focus();
}

for (const zone of document.querySelectorAll('.drop')) {
  const input = $(zone.dataset.for);
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    if (e.dataTransfer?.files?.length) input.files = e.dataTransfer.files;
  });
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const key = $('api-key').value.trim();
  if (!key) return;
  $('api-key').value = '';
  storeKey(key).then(route, () => {
    $('key-error').textContent = 'This browser could not keep the key safely (it needs WebCrypto and IndexedDB over HTTPS).';
  });
});
$('forget-key').addEventListener('click', forgetKey);
window.addEventListener('hashchange', route);
route();
