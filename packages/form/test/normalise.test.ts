import { loadCall } from "@intake/schema";
import { describe, expect, it } from "vitest";
import { creditCodeValid, mechanismId, normaliseDate, parseAmountYuan, splitCountries } from "../src/index.js";
import { callFile } from "../scripts/corpus-forms.js";

const call = loadCall(callFile);

describe("normaliseDate", () => {
  it.each([
    ["2026年1月10日", "2026-01-10"],
    ["2026年01月10日", "2026-01-10"],
    ["2026.1.10", "2026-01-10"],
    ["2026/1/10", "2026-01-10"],
    ["2026-01-10", "2026-01-10"],
    ["２０２６年１月１０日", "2026-01-10"],
    ["二〇二六年一月十日", "2026-01-10"],
    ["二〇二六年十二月三十一日", "2026-12-31"],
    ["二〇二六年一月二十五日", "2026-01-25"],
    [" 2026 年 1 月 8 日 ", "2026-01-08"],
    ["20260110", "2026-01-10"],
  ])("%s → %s", (s, d) => expect(normaliseDate(s)).toBe(d));
  it.each(["", "2026年2月30日", "2026.13.1", "一月十日", "明天"])("%s → null", (s) => expect(normaliseDate(s)).toBeNull());
});

describe("parseAmountYuan", () => {
  it.each([
    ["10万元", 100000],
    ["100,000元", 100000],
    ["8.5万", 85000],
    ["拾万元整", 100000],
    ["拾伍万元整", 150000],
    ["壹拾贰万伍仟元整", 125000],
    ["人民币伍万元", 50000],
    ["35万", 350000],
    ["１０万元", 100000],
    ["约20万元", 200000],
    ["50000", 50000],
  ])("%s → %d", (s, n) => expect(parseAmountYuan(s)).toBe(n));
  it.each(["", "待定", "若干"])("%s → null", (s) => expect(parseAmountYuan(s)).toBeNull());
});

describe("mechanismId", () => {
  it.each([
    ["中国-东盟", "china-asean"],
    ["中国—东盟科技人文交流机制", "china-asean"],
    ["中国东盟机制", "china-asean"],
    ["中国－东盟", "china-asean"],
    ["中国 — 东盟", "china-asean"],
    ["中欧", "china-europe"],
    ["中阿机制", "china-arab"],
    ["中国中亚机制", "china-central-asia"],
    ["澜湄区域科技人文交流机制", "lancang-mekong"],
    ["中拉", "china-latin-america"],
    ["中国—南非", "china-south-africa"],
    ["中非科技人文交流机制", "china-africa"],
  ])("%s → %s", (s, id) => expect(mechanismId(s, call)).toBe(id));
  it("unknown text → null", () => {
    expect(mechanismId("中日韩", call)).toBeNull();
    expect(mechanismId("", call)).toBeNull();
  });
});

describe("splitCountries", () => {
  it("splits on every separator the forms use", () => {
    expect(splitCountries("泰国、越南，老挝,柬埔寨；缅甸;菲律宾 新加坡\n文莱", call)).toEqual(["泰国", "越南", "老挝", "柬埔寨", "缅甸", "菲律宾", "新加坡", "文莱"]);
  });
  it("maps aliases to canonical names and drops duplicates", () => {
    expect(splitCountries("泰王国、俄罗斯联邦、泰国、印尼", call)).toEqual(["泰国", "俄罗斯", "印度尼西亚"]);
  });
  it("empty text → []", () => expect(splitCountries("  ", call)).toEqual([]));
});

describe("creditCodeValid (GB 32100-2015)", () => {
  it("accepts codes with the right check character", () => {
    expect(creditCodeValid("5110000085328712XD")).toBe(true);
    expect(creditCodeValid("91350100M000100Y43")).toBe(true);
  });
  it("rejects a wrong check character, wrong length and letters outside the alphabet", () => {
    expect(creditCodeValid("5110000085328712XE")).toBe(false);
    expect(creditCodeValid("5110000085328712X")).toBe(false);
    expect(creditCodeValid("5110000085328712ID")).toBe(false);
    expect(creditCodeValid("")).toBe(false);
  });
});
