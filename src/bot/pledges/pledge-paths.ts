/** Path of a certificate image (the receipt code is the only key: 40 random bits). */
export const certificatePath = (code: string): string => `/pledges/${code}.png`;
/** Path of the public verification page of a receipt code. */
export const verifyPath = (code: string): string => `/verify/${code}`;
