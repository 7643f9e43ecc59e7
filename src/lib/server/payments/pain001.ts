/**
 * ISO 20022 pain.001.001.09 customer credit transfer initiation: one payment per tranche, the
 * end-to-end id being the tranche's id. Amounts come straight from integer minor units; text is
 * reduced to the SEPA character set (å → a, ß → ss, quotes → '), so banks accept it.
 */
export interface Pain001Payment {
	endToEndId: string;
	amount: number;
	creditorName: string;
	iban: string;
	bic?: string | null;
	remittance: string;
}

export interface Pain001Batch {
	messageId: string;
	createdAt: Date;
	executionDate: string;
	currency: string;
	debtor: { name: string; iban: string; bic: string };
	payments: Pain001Payment[];
}

const SEPA_ALLOWED = /[^A-Za-z0-9/\-?:().,'+ ]/g;

/** Text in the SEPA basic Latin set: diacritics dropped, ß → ss, quotes → ', anything else → space. */
export function sepaText(input: string, max: number): string {
	const out = input
		.replace(/ß/g, 'ss')
		.replace(/[Ææ]/g, (c) => (c === 'Æ' ? 'AE' : 'ae'))
		.replace(/[Øø]/g, (c) => (c === 'Ø' ? 'O' : 'o'))
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[‘’‚‛"“”„«»`´]/g, "'")
		.replace(/&/g, '+')
		.replace(SEPA_ALLOWED, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return out.slice(0, max).trim() || '-';
}

/** Minor units as an exact decimal string ("1234.50"), never through floating point. */
export function decimalAmount(minor: number): string {
	if (!Number.isSafeInteger(minor) || minor < 0) throw new Error(`bad amount ${minor}`);
	const s = String(minor).padStart(3, '0');
	return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function buildPain001(batch: Pain001Batch): string {
	if (batch.payments.length === 0) throw new Error('a payment file needs at least one payment');
	const total = batch.payments.reduce((n, p) => n + p.amount, 0);
	const ctrl = decimalAmount(total);
	const created = batch.createdAt.toISOString().slice(0, 19);
	const tx = batch.payments
		.map(
			(p) => `			<CdtTrfTxInf>
				<PmtId><EndToEndId>${esc(sepaText(p.endToEndId, 35))}</EndToEndId></PmtId>
				<Amt><InstdAmt Ccy="${batch.currency}">${decimalAmount(p.amount)}</InstdAmt></Amt>
${p.bic ? `				<CdtrAgt><FinInstnId><BICFI>${esc(p.bic)}</BICFI></FinInstnId></CdtrAgt>\n` : ''}				<Cdtr><Nm>${esc(sepaText(p.creditorName, 70))}</Nm></Cdtr>
				<CdtrAcct><Id><IBAN>${esc(p.iban)}</IBAN></Id></CdtrAcct>
				<RmtInf><Ustrd>${esc(sepaText(p.remittance, 140))}</Ustrd></RmtInf>
			</CdtTrfTxInf>`
		)
		.join('\n');
	return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
	<CstmrCdtTrfInitn>
		<GrpHdr>
			<MsgId>${esc(sepaText(batch.messageId, 35))}</MsgId>
			<CreDtTm>${created}</CreDtTm>
			<NbOfTxs>${batch.payments.length}</NbOfTxs>
			<CtrlSum>${ctrl}</CtrlSum>
			<InitgPty><Nm>${esc(sepaText(batch.debtor.name, 70))}</Nm></InitgPty>
		</GrpHdr>
		<PmtInf>
			<PmtInfId>${esc(sepaText(batch.messageId, 35))}</PmtInfId>
			<PmtMtd>TRF</PmtMtd>
			<NbOfTxs>${batch.payments.length}</NbOfTxs>
			<CtrlSum>${ctrl}</CtrlSum>
			<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>
			<ReqdExctnDt><Dt>${batch.executionDate}</Dt></ReqdExctnDt>
			<Dbtr><Nm>${esc(sepaText(batch.debtor.name, 70))}</Nm></Dbtr>
			<DbtrAcct><Id><IBAN>${esc(batch.debtor.iban)}</IBAN></Id></DbtrAcct>
			<DbtrAgt><FinInstnId><BICFI>${esc(batch.debtor.bic)}</BICFI></FinInstnId></DbtrAgt>
			<ChrgBr>SLEV</ChrgBr>
${tx}
		</PmtInf>
	</CstmrCdtTrfInitn>
</Document>
`;
}
