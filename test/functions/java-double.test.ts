// Double.toString / Float.toString as the JDK 17 that runs Flink prints them. Each pair is a value's
// IEEE bits (hex) and what Java 17 printed for it (recorded with a small Java program; they include
// values where the JVM is not the shortest, e.g. 1.23456789012345677E18). The differential
// corpus (generator-findings.sql, gen-java-double-printing) checks the same against Flink live.
import { describe, expect, it } from 'vitest';
import { javaDoubleString, javaFloatString } from '../../src/common/java-double.js';

const DOUBLES: [string, string][] = [
  ['416312d000000000', '1.0E7'],
  ['416312cfe0000000', '9999999.0'],
  ['3f50624dd2f1a9fc', '0.001'],
  ['3f1a36e2eb1c432d', '1.0E-4'],
  ['3f5061e273273f09', '9.999E-4'],
  ['3f60624dd2f1a9fc', '0.002'],
  ['44b52d02c7e14af6', '9.999999999999999E22'],
  ['3fd3333333333334', '0.30000000000000004'],
  ['1', '4.9E-324'],
  ['7fefffffffffffff', '1.7976931348623157E308'],
  ['63', '4.9E-322'],
  ['1aa74fe1c1e8908', '1.2345678901234568E-300'],
  ['4059000000000000', '100.0'],
  ['419d6f3454800000', '1.23456789125E8'],
  ['43b12210f47de981', '1.23456789012345677E18'],
  ['400921fb54442d18', '3.141592653589793'],
  ['3fdfd14db31ba3bb', '0.49714987269413385'],
  ['c38d6f3454800000', '-2.65121435880521728E17'],
  ['1', '4.9E-324'],
  ['4480f0cf064dd592', '1.0E22'],
  ['10000000000000', '2.2250738585072014E-308'],
  ['c3d5d51e88c2104a', '-6.2927888702243574E18'],
  ['c3d8ec11775b10ca', '-7.1833182229623706E18'],
  ['43bc1e8b00967b19', '2.02620971700421248E18'],
  ['c3d61fb128d883de', '-6.3767503284070953E18'],
  ['c3c64dc305a0bc6e', '-3.2143101419601828E18'],
  ['c3dc9ecb8b1bb178', '-8.2492379108310958E18'],
  ['c3db0b6f0f506ca2', '-7.7950935013294428E18'],
  ['43d7a56e7568587f', '6.8155579382818396E18'],
  ['43b012c911be6728', '1.15820913223369728E18'],
  ['c382f3c83e921978', '-1.70706910386007808E17'],
  ['c3d5a912c41aa3f3', '-6.2431975173217188E18'],
  ['c3d03e4f1d2bd1e1', '-4.6818397594829138E18'],
  ['43de51c0c4afcd97', '8.7389569809880422E18'],
  ['43bdcf94f9c51b60', '2.14809934775368909E18'],
  ['c3d5e17f8d2fa258', '-6.3067263556906762E18'],
  ['c378d980a09effc9', '-1.11912734637948048E17'],
  ['43dfccd91473217a', '9.1657799691155476E18'],
  ['43c8000000000000', '3.4587645138205409E18'],
  ['c3d21a28ec98d5d4', '-5.2176001548748923E18'],
  ['c3cc7fbd76a3a806', '-4.1071365447074478E18'],
];

const FLOATS: [string, string][] = [
  ['4b189680', '1.0E7'],
  ['4f400000', '3.22122547E9'],
  ['38d1b717', '1.0E-4'],
  ['3dcccccd', '0.1'],
  ['4b800000', '1.6777216E7'],
  ['1', '1.4E-45'],
  ['7f7fffff', '3.4028235E38'],
  ['2edbe6ff', '1.0E-10'],
  ['4059999a', '3.4'],
  ['cf400000', '-3.22122547E9'],
  ['42c80000', '100.0'],
  ['559721e7', '2.07714832E13'],
  ['4f6cbbff', '3.97174349E9'],
  ['59271463', '2.93929603E15'],
  ['80000000', '-0.0'],
  ['57abfc83', '3.78202036E14'],
  ['d8fd3434', '-2.22720522E15'],
  ['0', '0.0'],
  ['5904b937', '2.33489643E15'],
  ['d8fef405', '-2.24259207E15'],
  ['80000000', '-0.0'],
  ['58f4ace4', '2.15218717E15'],
  ['0', '0.0'],
  ['5de0f458', '2.02620971E18'],
  ['55a3b9b0', '2.25022396E13'],
  ['dd917736', '-1.31023825E18'],
  ['521eedfb', '1.70649371E11'],
  ['0', '0.0'],
  ['0', '0.0'],
  ['deb0fd89', '-6.3767502E18'],
  ['4ec00000', '1.61061274E9'],
];

const f64 = new Float64Array(1);
const b64 = new BigUint64Array(f64.buffer);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

describe('Java number printing', () => {
  it.each(DOUBLES)('Double.toString of bits %s is %s', (bits, java) => {
    b64[0] = BigInt(`0x${bits}`);
    expect(javaDoubleString(f64[0])).toBe(java);
    expect(javaDoubleString(-f64[0])).toBe(java.startsWith('-') ? java.slice(1) : `-${java}`);
  });
  it.each(FLOATS)('Float.toString of bits %s is %s', (bits, java) => {
    u32[0] = parseInt(bits, 16);
    expect(javaFloatString(f32[0])).toBe(java);
  });
  it('prints the special values', () => {
    expect([NaN, Infinity, -Infinity, 0, -0].map(javaDoubleString)).toEqual(['NaN', 'Infinity', '-Infinity', '0.0', '-0.0']);
    expect([NaN, Infinity, -Infinity, 0, -0].map(javaFloatString)).toEqual(['NaN', 'Infinity', '-Infinity', '0.0', '-0.0']);
  });
});
