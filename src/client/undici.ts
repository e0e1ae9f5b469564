// undici is ~100 CommonJS files compiled on every start; hosts spawn the server often and most
// starts only answer tools/list, so it is loaded on the first request.
let undiciModule: Promise<typeof import('undici')> | undefined;

export const loadUndici = () => (undiciModule ??= import('undici'));
