import { describe, expect, it } from 'vitest';
import { cleanFileName, detectFileKind } from './detect.ts';
import { normaliseOrgNumber } from '../organisations/org-number.ts';
import { samplePdf, samplePng, sampleZip } from '../testing/files.ts';

describe('file types by content', () => {
	it('recognises PDF, PNG, JPEG and the office formats from their bytes', () => {
		expect(detectFileKind(samplePdf())).toBe('pdf');
		expect(detectFileKind(samplePng())).toBe('png');
		expect(detectFileKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]))).toBe('jpg');
		expect(detectFileKind(sampleZip([['[Content_Types].xml', '<Types/>'], ['word/document.xml', '<w:document/>']]))).toBe('docx');
		expect(detectFileKind(sampleZip([['[Content_Types].xml', '<Types/>'], ['xl/workbook.xml', '<workbook/>']]))).toBe('xlsx');
		expect(detectFileKind(sampleZip([['mimetype', 'application/vnd.oasis.opendocument.text'], ['content.xml', '<x/>']]))).toBe('odt');
		expect(detectFileKind(sampleZip([['mimetype', 'application/vnd.oasis.opendocument.spreadsheet']]))).toBe('ods');
	});

	it('refuses executables, scripts, HTML and plain ZIP archives, whatever they are called', () => {
		expect(detectFileKind(new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]))).toBeNull(); // Windows .exe
		expect(detectFileKind(new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0]))).toBeNull(); // ELF
		expect(detectFileKind(new TextEncoder().encode('#!/bin/sh\nrm -rf /\n'))).toBeNull();
		expect(detectFileKind(new TextEncoder().encode('<html><script>alert(1)</script></html>'))).toBeNull();
		expect(detectFileKind(sampleZip([['payload.exe', 'MZ']]))).toBeNull();
		expect(detectFileKind(new Uint8Array([0x25, 0x50]))).toBeNull();
	});

	it('cleans file names for download', () => {
		expect(cleanFileName('../../etc/passwd', 'pdf')).toBe('passwd.pdf');
		expect(cleanFileName('Budget "2027" <final>.pdf', 'pdf')).toBe('Budget _2027_ _final_.pdf');
		expect(cleanFileName('foto.exe', 'png')).toBe('foto.png');
		expect(cleanFileName('Läxhjälp på Norrbacka.docx', 'docx')).toBe('Läxhjälp på Norrbacka.docx');
		expect(cleanFileName('', 'pdf')).toBe('attachment.pdf');
	});
});

describe('organisation numbers', () => {
	it('accepts Swedish numbers with a valid Luhn digit, in either format', () => {
		expect(normaliseOrgNumber('802456-1234', 'SE')).toBeNull();
		expect(normaliseOrgNumber('5560360793', 'SE')).toBe('556036-0793');
		expect(normaliseOrgNumber('556036-0793', 'SE')).toBe('556036-0793');
		expect(normaliseOrgNumber('802497-3904', 'SE')).toBe('802497-3904');
		expect(normaliseOrgNumber('556036-0794', 'SE')).toBeNull();
		expect(normaliseOrgNumber('55603607', 'SE')).toBeNull();
		expect(normaliseOrgNumber('abcdefghij', 'SE')).toBeNull();
	});

	it('accepts Belgian enterprise numbers with a valid mod-97 check', () => {
		expect(normaliseOrgNumber('0403.170.701', 'BE')).toBe('0403.170.701');
		expect(normaliseOrgNumber('BE 0403170701', 'BE')).toBe('0403.170.701');
		expect(normaliseOrgNumber('0403.170.702', 'BE')).toBeNull();
		expect(normaliseOrgNumber('2403.170.701', 'BE')).toBeNull();
	});
});
