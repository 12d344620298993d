// @peculiar/x509 needs its metadata polyfill before first use, in tests as in the hosts.
import 'reflect-metadata';
