// Fault tests start processes and servers, break them and wait for recovery: minutes, not seconds.
jest.setTimeout(240_000);
