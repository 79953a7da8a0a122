import { AlteregoError } from '@alterego/core';
import { describe, expect, it } from 'vitest';
import { ProviderError } from './provider-error.js';

describe('ProviderError', () => {
  it('is an AlteregoError with one line and the details of the failure', () => {
    const error = new ProviderError('api answered 500:\n  oops', {
      provider: 'openai',
      kind: 'server',
      status: 500,
      code: 'x',
      retryable: true,
    });
    expect(error.message).toBe('api answered 500: oops');
    expect(error).toMatchObject({
      name: 'ProviderError',
      provider: 'openai',
      kind: 'server',
      status: 500,
      code: 'x',
      retryable: true,
    });
    expect(AlteregoError.isInstance(error)).toBe(true);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(ProviderError.isInstance(new AlteregoError('x'))).toBe(false);
    expect(new ProviderError('x', { provider: 'p', kind: 'auth' }).retryable).toBe(false);
  });

  it('is recognised across copies of the package by its marker', () => {
    const foreign = { [Symbol.for('alterego.error.provider')]: true };
    expect(ProviderError.isInstance(foreign)).toBe(true);
  });
});
