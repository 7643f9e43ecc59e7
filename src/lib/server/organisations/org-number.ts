/**
 * Organisation numbers for the configured country. Returns the normalised number, or null when
 * it is not valid.
 * - Sweden (organisationsnummer): 10 digits (NNNNNN-NNNN), the last a Luhn check digit.
 * - Belgium (ondernemingsnummer): 10 digits starting 0 or 1 (0NNN.NNN.NNN), the last two are
 *   97 − (the first eight mod 97).
 */
export function normaliseOrgNumber(input: string, country: 'SE' | 'BE'): string | null {
	const digits = input.replace(/^BE/i, '').replace(/[\s.-]/g, '');
	if (!/^\d{10}$/.test(digits)) return null;
	if (country === 'SE') {
		if (!luhnValid(digits)) return null;
		return `${digits.slice(0, 6)}-${digits.slice(6)}`;
	}
	if (!/^[01]/.test(digits)) return null;
	const check = 97 - (Number(digits.slice(0, 8)) % 97);
	if (check !== Number(digits.slice(8))) return null;
	return `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
}

export function luhnValid(digits: string): boolean {
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = Number(digits[digits.length - 1 - i]);
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}
