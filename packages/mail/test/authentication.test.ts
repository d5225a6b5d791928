// The receiving server's Authentication-Results, in the shapes Chinese mail
// systems write them, and fields a sender forges into its own email.
import { describe, expect, it } from "vitest";
import { parseAuthResults, parseMessage } from "../src/index.js";

const from = "From: 申报人 <apply@unit.example.org>\r\nTo: guoyunlong@cast.org.cn\r\nSubject: x\r\nMessage-ID: <a@unit.example.org>\r\n";
const body = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n申报材料见附件。\r\n";
const verdict = async (head: string, trustedAuthServIds?: string[]) =>
  (await parseMessage(Buffer.from(head + body), trustedAuthServIds ? { trustedAuthServIds } : {})).senderAuth.verdict;

// Tencent (QQ Mail, Exmail): prepended above the sender's fields, comments glued to the result.
const tencent = (spf: string, dmarc: string) =>
  "Received: from mail.unit.example.org ([203.0.113.9])\r\n\tby newxmmxszc6-1.qq.com (NewMX) with SMTP id 6010A8AD\r\n\tfor <guoyunlong@cast.org.cn>; Thu, 08 Jan 2026 11:24:01 +0800\r\n" +
  "X-QQ-mid: xmmxszc6-1t1729135441tm9qrjq3k\r\n" +
  `Authentication-Results: mx.qq.com; spf=${spf} smtp.mailfrom=apply@unit.example.org;\r\n\tdkim=none; dmarc=${dmarc} header.from=unit.example.org\r\n`;
// Coremail (NetEase, many universities and institutes): appended below the sender's fields, a short
// host name as authserv-id, smtp.mail= for SPF, folded inside a result.
const coremail = (spf: string, dkim: string) =>
  `X-CM-TRANSID:x8mowAAX4tcS6zReRf_REg--.49102S3\r\nAuthentication-Results: mx19; spf=${spf} smtp.mail=apply@unit.example.org; dkim=\r\n\t${dkim} header.i=@unit.example.org\r\n` +
  "X-Coremail-Antispam: 1Uf129KBjDUn29KB7ZKAUJUUUUU529EdanIXcx71UUUUU7v73\r\n";
// Alibaba Mail: its own fields without a space after the colon, ARC results beside them.
const alibaba = (dmarc: string) =>
  "X-Alimail-AntiSpam:AC=PASS;BC=-1|-1;BR=01201311R151e4;CH=green;DM=||false|;DS=||;FP=0|-1|-1|-1|0|-1|-1|-1;HT=maildocker-contentspam033045046011;MF=apply@unit.example.org;NM=1;PH=DS;RN=2;SR=0;TI=SMTPD_---0W6TyffK_1715668887;\r\n" +
  `Authentication-Results:mx1.alibaba-inc.example; dkim=pass header.d=unit.example.org; dmarc=${dmarc} (p=none dis=none) header.from=unit.example.org; spf=pass smtp.mailfrom=unit.example.org\r\n`;

describe("Authentication-Results as Chinese mail systems write them", () => {
  it("parses each shape into methods and results", () => {
    expect(parseAuthResults("mx.qq.com; spf=none smtp.mailfrom=;\tdkim=none; dmarc=none(permerror) header.from=solar.sec")).toEqual({
      servId: "mx.qq.com",
      results: [
        { method: "spf", result: "none", props: { "smtp.mailfrom": "" } },
        { method: "dkim", result: "none", props: {} },
        { method: "dmarc", result: "none", props: { "header.from": "solar.sec" } },
      ],
    });
    expect(parseAuthResults("mx19; spf=pass smtp.mail=a@b.example; dkim= pass header.i=@b.example").results.map((r) => `${r.method}=${r.result}`)).toEqual(["spf=pass", "dkim=pass"]);
  });

  it("Tencent: a DMARC or aligned SPF failure is a failure; a pass is a pass; none says nothing", async () => {
    expect(await verdict(tencent("fail", "fail(p=reject)") + from)).toBe("fail");
    expect(await verdict(tencent("fail", "none") + from)).toBe("fail");
    expect(await verdict(tencent("pass", "pass") + from)).toBe("pass");
    expect(await verdict(tencent("none", "none(permerror)") + from)).toBe("none");
    expect(await verdict(tencent("softfail", "none") + from)).toBe("none");
  });

  it("Coremail, below the sender's fields", async () => {
    expect(await verdict(from + coremail("fail", "none"))).toBe("fail");
    expect(await verdict(from + coremail("pass", "pass"))).toBe("pass");
    expect(await verdict(from + coremail("none", "fail"))).toBe("none");
  });

  it("Alibaba Mail", async () => {
    expect(await verdict(from + alibaba("fail"))).toBe("fail");
    expect(await verdict(from + alibaba("pass"))).toBe("pass");
  });

  it("results about another domain say nothing of the From's", async () => {
    const other = "Authentication-Results: mx.qq.com; spf=fail smtp.mailfrom=bounce@esp.example.net; dmarc=fail header.from=esp.example.net\r\n";
    expect(await verdict(other + from)).toBe("none");
    // A subdomain is aligned with its parent (relaxed alignment).
    const sub = "Authentication-Results: mx.qq.com; spf=fail smtp.mailfrom=bounce@mail.unit.example.org\r\n";
    expect(await verdict(sub + from)).toBe("fail");
  });

  it("a pass the sender forged cannot hide the server's failure, wherever either stands", async () => {
    const forged = "Authentication-Results: mx.qq.com; spf=pass smtp.mailfrom=apply@unit.example.org; dkim=pass header.d=unit.example.org; dmarc=pass header.from=unit.example.org\r\n";
    expect(await verdict(tencent("fail", "fail") + forged + from)).toBe("fail");
    expect(await verdict(forged + from + coremail("fail", "none"))).toBe("fail");
  });

  it("with the server's authserv-id configured, only its fields count", async () => {
    const forgedFail = "Authentication-Results: evil.example; dmarc=fail header.from=unit.example.org\r\n";
    expect(await verdict(forgedFail + from + coremail("pass", "pass"), ["mx*"])).toBe("pass");
    expect(await verdict(forgedFail + from + coremail("pass", "pass"))).toBe("fail");
    expect(await verdict(tencent("fail", "fail") + from, ["mx19"])).toBe("none");
  });
});
