import type {UnitRow} from "../../src/schemas/units.js";
import {citySize, nationalServiceNames, type CitySize, type DemoCityConfig, type NationalServiceName, type ServiceModel, type ServiceName} from "./config.js";
import {communityName, streetName} from "./names.js";
import {apportion, logistic, logit, rng, type Rng} from "./prng.js";

/**
 * What the persons generator needs to know about one community: where its persons' row numbers start,
 * how many there are, and the community's own chances for each person-level status.
 */
export interface CommunityPlan {
  community_code: string;
  /** person_id of the community's first person; its persons are first_id … first_id + persons − 1. */
  first_id: number;
  persons: number;
  rural: boolean;
  /** The community reports no person-level status at all (every status null). */
  unreported: boolean;
  p_screening: number;
  p_archive: number;
  p_enrolment: number;
  p_dibao_takeup: number;
  p_poor_subsidy_takeup: number;
  p_severe_subsidy_takeup: number;
  /** Chance that a person in need received basic rehab services (national indicator 9). */
  p_rehab_service: number;
  /** Chance that a person needing an assistive device was fitted with one (national indicator 10). */
  p_device_fitting: number;
}

export interface GeneratedUnits {
  size: CitySize;
  /** Every unit, city first, in unit_code order. */
  units: UnitRow[];
  /** One entry per community, in unit_code order (the order of person_id). */
  plan: CommunityPlan[];
}

type Effects = Record<ServiceName, number>;
const personLevel = ["screening", "archive", "enrolment", "dibao_takeup", "poor_subsidy_takeup", "severe_subsidy_takeup"] as const;

/** Draws one standard-normal effect per service, in the config's order (the stream's draw order). */
function drawEffects(config: DemoCityConfig, r: Rng): Effects {
  return Object.fromEntries(Object.keys(config.services).map((name) => [name, r.normal()])) as Effects;
}

type NationalEffects = Record<NationalServiceName, number>;

/** One standard-normal effect per national service, from a stream of its own (`key`). */
function drawNationalEffects(seed: number, key: string): NationalEffects {
  const r = rng(seed, `${key}-national`);
  return Object.fromEntries(nationalServiceNames.map((name) => [name, r.normal()])) as NationalEffects;
}

/** The level of a service in one community: see config.yaml, `services`. */
function level(model: ServiceModel, districtEffect: number, zStreet: number, zCommunity: number): number {
  const base = model.kind === "amount" ? Math.log(model.centre) : logit(model.centre);
  const score = base + districtEffect + model.street_sd * zStreet + model.community_sd * zCommunity;
  return model.kind === "amount" ? Math.exp(score) : logistic(score);
}

/** Digits needed to number `count` siblings, at least `min` (NBS-style fixed-width codes). */
function codeWidth(count: number, min: number): number {
  return Math.max(min, String(count).length);
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

interface StreetDraft {
  code: string;
  name: string;
  town: boolean;
  district: number;
  effects: Effects;
  communities: number;
}

/**
 * Generates the units of the demo city (city → districts → streets/towns → communities/villages) with
 * residents and community service status, and the per-community plan the persons generator follows.
 * Pure and deterministic: the same config and size give the same units.
 */
export function generateUnits(config: DemoCityConfig, size: CitySize = citySize(config)): GeneratedUnits {
  const {seed} = config;
  const services = config.services;
  const serviceNames = Object.keys(services) as ServiceName[];
  const districtCount = config.districts.length;
  const streetCount = Math.min(size.communities, Math.max(districtCount, Math.round(size.communities / config.size.communities_per_street.value)));

  // Districts: fixed by the config; each gets its own jitter per service.
  const streetsPerDistrict = apportion(streetCount, config.districts.map((d) => d.street_weight), 1);
  const districtEffects = config.districts.map((d, i) => {
    const z = drawEffects(config, rng(seed, `district:${i}`));
    return Object.fromEntries(serviceNames.map((s) => [s, services[s].district_spread * (d.performance + config.district_jitter_sd * z[s])])) as Effects;
  });
  const national = config.national_services;
  const nationalDistrictEffects = config.districts.map((d, i) => {
    const z = drawNationalEffects(seed, `district:${i}`);
    return Object.fromEntries(nationalServiceNames.map((s) => [s, national[s].district_spread * (d.performance + config.district_jitter_sd * z[s])])) as NationalEffects;
  });
  const nationalStreetEffects = new Map<string, NationalEffects>();
  const districtWidth = codeWidth(districtCount, 2);
  const streetWidth = codeWidth(Math.max(...streetsPerDistrict), 3);
  const districtCodes = config.districts.map((_, i) => config.city.code + pad(i + 1, districtWidth));

  // Streets: 街道 first, then towns (镇), numbered within their kind; sizes drawn, then apportioned.
  const streets: StreetDraft[] = [];
  config.districts.forEach((d, di) => {
    const n = streetsPerDistrict[di];
    const towns = Math.round(n * d.town_share);
    for (let j = 0; j < n; j++) {
      const town = j >= n - towns;
      const ordinal = town ? j - (n - towns) + 1 : j + 1;
      const code = districtCodes[di] + pad(j + 1, streetWidth);
      streets.push({code, name: streetName(d.name, ordinal, town ? "镇" : "街道"), town, district: di, effects: drawEffects(config, rng(seed, `street:${code}`)), communities: 0});
      nationalStreetEffects.set(code, drawNationalEffects(seed, `street:${code}`));
    }
  });
  const streetWeights = streets.map((s) => Math.exp(0.3 * rng(seed, `street-size:${s.code}`).normal()));
  apportion(size.communities, streetWeights, 1).forEach((n, i) => (streets[i].communities = n));
  const communityWidth = codeWidth(Math.max(...streets.map((s) => s.communities)), 3);

  // Communities: kind, size weight and registered-person weight first, so residents and persons can be
  // apportioned to exact totals; then service status.
  interface CommunityDraft {
    code: string;
    name: string;
    rural: boolean;
    street: StreetDraft;
    r: Rng;
    sizeWeight: number;
    personWeight: number;
  }
  const villageShare = config.size.village_share_in_towns.value;
  const communities: CommunityDraft[] = [];
  for (const street of streets) {
    const villages = street.town ? Math.round(street.communities * villageShare) : 0;
    for (let j = 0; j < street.communities; j++) {
      const rural = j >= street.communities - villages;
      const ordinal = rural ? j - (street.communities - villages) + 1 : j + 1;
      const code = street.code + pad(j + 1, communityWidth);
      const r = rng(seed, `community:${code}`);
      const sizeWeight = (rural ? 1 : config.size.urban_community_size_ratio.value) * Math.exp(config.size.community_size_sd_log.value * r.normal());
      const personWeight = (rural ? config.persons.rural_ratio.value : 1) * Math.exp(config.persons.community_sd_log.value * r.normal());
      communities.push({code, name: communityName(street.name, ordinal, rural ? "村" : "社区"), rural, street, r, sizeWeight, personWeight});
    }
  }
  const residents = apportion(size.residents, communities.map((c) => c.sizeWeight), 1);
  const persons = apportion(size.persons, communities.map((c, i) => residents[i] * c.personWeight));

  const communityRows: UnitRow[] = [];
  const plan: CommunityPlan[] = [];
  let nextPersonId = 1;
  communities.forEach((c, i) => {
    const {r, street} = c;
    const unreported = r.bernoulli(config.missing.unit_unreported_share.value);
    const personsUnreported = r.bernoulli(config.missing.person_unreported_share.value);
    const z = drawEffects(config, r);
    const at = (s: ServiceName) => level(services[s], districtEffects[street.district][s], street.effects[s], z[s]);
    // One uniform per service decides its yes/no; one more says whether the item was left blank.
    const draw = Object.fromEntries(serviceNames.map((s) => [s, {u: r.uniform(), blank: r.bernoulli(config.missing.unit_item_share.value)}])) as Record<ServiceName, {u: number; blank: boolean}>;
    const reported = <T>(s: ServiceName, value: T): T | null => (unreported || draw[s].blank ? null : value);
    const yes = (s: ServiceName) => draw[s].u < at(s);
    const zNational = drawNationalEffects(seed, `community:${c.code}`);
    const atNational = (s: NationalServiceName) => level(national[s], nationalDistrictEffects[street.district]![s], nationalStreetEffects.get(street.code)![s], zNational[s]);

    const hasRoom = reported("rehab_room", yes("rehab_room"));
    const hasCoordinator = reported("coordinator", yes("coordinator"));
    communityRows.push({
      unit_code: c.code,
      unit_name: c.name,
      level: "community",
      level_label: c.rural ? "村" : "社区",
      parent_code: street.code,
      district_code: districtCodes[street.district],
      street_code: street.code,
      urban_rural: c.rural ? "rural" : "urban",
      residents: residents[i],
      has_rehab_room: hasRoom,
      // Whole square metres, as a floor plan states them; null when there is no room to measure.
      rehab_room_area_m2: hasRoom ? reported("rehab_room_area_m2", Math.max(1, Math.round(at("rehab_room_area_m2")))) : null,
      has_coordinator: hasCoordinator,
      coordinator_trained: hasCoordinator ? reported("coordinator_trained", yes("coordinator_trained")) : null,
      has_care_point: reported("care_point", yes("care_point")),
      rehab_funding_yuan: reported("rehab_funding_per_resident", Math.round(at("rehab_funding_per_resident") * residents[i])),
      // A survey share to 0.1%.
      satisfaction_rate: reported("satisfaction", Math.round(at("satisfaction") * 1000) / 1000),
      synthetic: true,
    });
    plan.push({
      community_code: c.code,
      first_id: nextPersonId,
      persons: persons[i],
      rural: c.rural,
      unreported: personsUnreported,
      ...(Object.fromEntries(personLevel.map((s) => [`p_${s}`, at(s)])) as Record<`p_${(typeof personLevel)[number]}`, number>),
      ...(Object.fromEntries(nationalServiceNames.map((s) => [`p_${s}`, atNational(s)])) as Record<`p_${NationalServiceName}`, number>),
    });
    nextPersonId += persons[i];
  });

  // Levels above the community: names, codes and residents rolled up; service status stays null.
  const noService = {has_rehab_room: null, rehab_room_area_m2: null, has_coordinator: null, coordinator_trained: null, has_care_point: null, rehab_funding_yuan: null, satisfaction_rate: null, synthetic: true} as const;
  const streetResidents = new Map<string, number>();
  for (const u of communityRows) streetResidents.set(u.parent_code!, (streetResidents.get(u.parent_code!) ?? 0) + u.residents);
  const units: UnitRow[] = [
    {unit_code: config.city.code, unit_name: config.city.name, level: "city", level_label: "市", parent_code: null, district_code: null, street_code: null, urban_rural: "urban", residents: size.residents, ...noService},
  ];
  let next = 0; // communityRows are in street order, streets in district order
  config.districts.forEach((d, di) => {
    const code = districtCodes[di];
    const districtStreets = streets.filter((s) => s.district === di);
    const residentsOfDistrict = districtStreets.reduce((sum, s) => sum + streetResidents.get(s.code)!, 0);
    units.push({unit_code: code, unit_name: d.name, level: "district", level_label: d.kind, parent_code: config.city.code, district_code: code, street_code: null, urban_rural: d.kind === "区" ? "urban" : "rural", residents: residentsOfDistrict, ...noService});
    for (const s of districtStreets) {
      units.push({unit_code: s.code, unit_name: s.name, level: "street", level_label: s.town ? "镇" : "街道", parent_code: code, district_code: code, street_code: s.code, urban_rural: s.town ? "rural" : "urban", residents: streetResidents.get(s.code)!, ...noService});
      units.push(...communityRows.slice(next, next + s.communities));
      next += s.communities;
    }
  });
  return {size, units, plan};
}
