import fc from "fast-check";
import {expect, test} from "vitest";
import {chineseNumber, communityName, streetName} from "../../loaders/demoCity/names.js";
import {apportion, rng, seedKey64} from "../../loaders/demoCity/prng.js";

test("a named stream gives the same numbers for the same seed and different ones for another seed or name", () => {
  const draw = (seed: number, name: string) => Array.from({length: 5}, rng(seed, name).uniform);
  expect(draw(7, "district:0")).toEqual(draw(7, "district:0"));
  expect(draw(8, "district:0")).not.toEqual(draw(7, "district:0"));
  expect(draw(7, "district:1")).not.toEqual(draw(7, "district:0"));
});

test("uniform draws lie in [0, 1) and average one half", () => {
  const r = rng(1, "test");
  const xs = Array.from({length: 20_000}, r.uniform);
  expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
  expect(Math.max(...xs)).toBeLessThan(1);
  expect(xs.reduce((a, b) => a + b, 0) / xs.length).toBeCloseTo(0.5, 2);
});

test("normal draws have mean 0 and standard deviation 1", () => {
  const r = rng(2, "normal");
  const xs = Array.from({length: 20_000}, r.normal);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  expect(Math.abs(mean)).toBeLessThan(0.03);
  expect(Math.abs(sd - 1)).toBeLessThan(0.03);
});

test("the SQL seed key is a 64-bit number that changes with the seed", () => {
  expect(seedKey64(1, "persons")).toBe(seedKey64(1, "persons"));
  expect(seedKey64(2, "persons")).not.toBe(seedKey64(1, "persons"));
  expect(seedKey64(1, "persons") < 1n << 64n).toBe(true);
});

test("apportion splits a total exactly, each part at least the minimum and close to its proportional share", () => {
  fc.assert(
    fc.property(fc.array(fc.double({min: 0.01, max: 100, noNaN: true}), {minLength: 1, maxLength: 50}), fc.nat(100_000), fc.nat(3), (weights, extra, min) => {
      const total = extra + min * weights.length;
      const parts = apportion(total, weights, min);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      const sum = weights.reduce((a, b) => a + b, 0);
      parts.forEach((p, i) => {
        expect(p).toBeGreaterThanOrEqual(min);
        expect(Math.abs(p - min - (extra * weights[i]) / sum)).toBeLessThan(1);
      });
    }),
  );
});

test("apportion refuses a total too small for the minimum of every part", () => {
  expect(() => apportion(5, [1, 1, 1], 2)).toThrow(/below 2 for each of 3 parts/);
});

test("unit names are written with Chinese numerals and are plainly fictional", () => {
  expect([1, 10, 12, 20, 101, 110, 1010].map(chineseNumber)).toEqual(["一", "十", "十二", "二十", "一百零一", "一百一十", "一千零一十"]);
  expect(streetName("甲区", 3, "街道")).toBe("甲三街道");
  expect(communityName("戊二镇", 5, "村")).toBe("戊二镇第五村");
});
