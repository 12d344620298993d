// @peculiar/x509 needs the reflect-metadata polyfill loaded before it and a WebCrypto provider set
// once; every sandbox module takes the library from here so that order always holds.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export { x509 };
