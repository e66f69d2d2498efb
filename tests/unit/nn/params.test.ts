/**
 * Parameters round-trip through their flat serialisation, and loading new values (done every epoch by weight
 * averaging) frees the old ones: a leak here aborted a graphene training's wasm heap after 48 epochs.
 */
import * as tf from '../../../core/runtime/tf.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { Params } from '../../../core/nn/params.ts';
import { Rng } from '../../../core/runtime/rng.ts';

beforeAll(async () => { await tf.setBackend('cpu'); });

describe('Params', () => {
  it('load restores serialised values and leaves no tensor behind', () => {
    const params = new Params(new Rng(1));
    params.normal('a', [3, 4]);
    params.constant('b', [5], 0.5);
    const saved = params.serialize();
    const other = { ...saved, data: saved.data.map((v) => 2 * v + 1) };
    const before = tf.memory();
    for (let k = 0; k < 10; k++) params.load(k % 2 ? saved : other, 'test');
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    expect(Array.from(params.serialize().data)).toEqual(Array.from(saved.data));
    params.load(other, 'test');
    expect(Array.from(params.get('b').dataSync())).toEqual([2, 2, 2, 2, 2]);
  });
});
