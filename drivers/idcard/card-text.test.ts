import { describe, expect, it } from 'vitest';
import { buildCardText, parseCardText } from './card-text.js';

const resident = (over: Record<string, string> = {}) =>
  buildCardText([
    { offset: 0, length: 30, value: '张小三' },
    { offset: 30, length: 2, value: over.gender ?? '1' },
    { offset: 32, length: 4, value: over.nation ?? '01' },
    { offset: 36, length: 16, value: '19800101' },
    { offset: 52, length: 70, value: '浙江省杭州市西湖区文三路100号' },
    { offset: 122, length: 36, value: '33010619800101001x' },
    { offset: 158, length: 30, value: '杭州市公安局西湖分局' },
    { offset: 188, length: 16, value: '20200101' },
    { offset: 204, length: 16, value: over.validTo ?? '长期' },
  ]);

describe('ID card text block', () => {
  it('reads a resident card, with 长期 validity and the nation name', () => {
    expect(parseCardText(resident())).toEqual({
      cardType: 'resident',
      name: '张小三',
      gender: '男',
      genderCode: '1',
      nation: '汉',
      nationCode: '01',
      birthDate: '1980-01-01',
      address: '浙江省杭州市西湖区文三路100号',
      idNumber: '33010619800101001X',
      authority: '杭州市公安局西湖分局',
      validFrom: '2020-01-01',
      validTo: '长期',
    });
    expect(parseCardText(resident({ validTo: '20400101' })).validTo).toBe('2040-01-01');
  });

  it('keeps unknown nation and gender codes instead of throwing', () => {
    const t = parseCardText(resident({ nation: '77', gender: '5' }));
    expect(t).toMatchObject({ nation: '77', nationCode: '77', gender: '5' });
  });

  it('reads a J residence permit with pass number and issue count', () => {
    const t = parseCardText(
      buildCardText([
        { offset: 0, length: 30, value: '陈大文' },
        { offset: 30, length: 2, value: '1' },
        { offset: 36, length: 16, value: '19750505' },
        { offset: 52, length: 70, value: '广东省深圳市福田区' },
        { offset: 122, length: 36, value: '810000197505050019' },
        { offset: 158, length: 30, value: '深圳市公安局' },
        { offset: 188, length: 16, value: '20190101' },
        { offset: 204, length: 16, value: '20240101' },
        { offset: 220, length: 18, value: 'H12345678' },
        { offset: 238, length: 4, value: '01' },
        { offset: 248, length: 2, value: 'J' },
      ]),
    );
    expect(t).toMatchObject({
      cardType: 'hk_mo_tw',
      name: '陈大文',
      passNumber: 'H12345678',
      issueCount: '01',
      nation: null,
    });
  });

  it('reads both foreign permanent residence cards', () => {
    const i2017 = parseCardText(
      buildCardText([
        { offset: 0, length: 120, value: 'SMITH, JOHN' },
        { offset: 120, length: 2, value: '1' },
        { offset: 122, length: 30, value: 'USA330612345678' },
        { offset: 152, length: 6, value: 'USA' },
        { offset: 158, length: 30, value: '约翰' },
        { offset: 188, length: 16, value: '20170101' },
        { offset: 204, length: 16, value: '20270101' },
        { offset: 220, length: 16, value: '19761206' },
        { offset: 240, length: 8, value: '1500' },
        { offset: 248, length: 2, value: 'I' },
      ]),
    );
    expect(i2017).toMatchObject({
      cardType: 'foreign_2017',
      englishName: 'SMITH, JOHN',
      idNumber: 'USA330612345678',
      nationality: 'USA',
      name: '约翰',
      birthDate: '1976-12-06',
    });
    const y2023 = parseCardText(
      buildCardText([
        { offset: 0, length: 30, value: '玛丽' },
        { offset: 30, length: 2, value: '2' },
        { offset: 32, length: 4, value: '00' },
        { offset: 36, length: 16, value: '19900101' },
        { offset: 52, length: 70, value: 'MARY ANN ELIZABETH SMITH-JONES AND ' },
        { offset: 122, length: 36, value: '933110199001010020' },
        { offset: 188, length: 16, value: '20230101' },
        { offset: 204, length: 16, value: '20330101' },
        { offset: 220, length: 22, value: 'MORE' },
        { offset: 242, length: 6, value: 'GBR' },
        { offset: 248, length: 2, value: 'Y' },
      ]),
    );
    expect(y2023).toMatchObject({
      cardType: 'foreign_2023',
      name: '玛丽',
      gender: '女',
      nationality: 'GBR',
      issueCount: '00',
    });
    expect(y2023.englishName).toBe('MARY ANN ELIZABETH SMITH-JONES AND MORE');
  });

  it('refuses a short block', () => {
    expect(() => parseCardText(new Uint8Array(10))).toThrow(/256 字节/);
  });
});
