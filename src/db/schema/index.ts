export * from './directory';
export * from './accounts';
export * from './families';
export * from './practice';
export * from './brokerage';
export * from './partnerships';
export * from './networks';
