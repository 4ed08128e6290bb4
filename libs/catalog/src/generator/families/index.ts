/**
 * Which family a category sells. Specific families are tried on the leaf's name, then on its ancestors'
 * names (never the department root, whose name is too broad: "Computers & Tablets"); only when none
 * matches do the department-wide families (anything under "Small Kitchen Appliances", ...) apply.
 */
import type { CategoryNode } from '../../taxonomy';
import { appliancePart, climate, dishwasher, freezer, microwave, range, refrigerator, smallKitchen, vacuum, washerDryer } from './appliances';
import { desktop, inputDevice, ink, laptop, monitor, networking, office, pcComponent, printer, software, storage, tablet } from './computing';
import type { Family } from './define';
import { carAudio, carGps, carInstall, headphones, homeAudio, mp3Player, projector, speaker, streaming, tv, tvMount, videoPlayer } from './home-entertainment';
import { avAccessory, batteries, fitness, furniture, generic, homeLiving, musical, personalCare, smartHome } from './home-living';
import { bag, camera, cameraAccessory, drone, gamingAccessory, gamingConsole, lens, optics, toy, videoGame } from './imaging-gaming';
import { chargerCable, phone, phoneAccessory, phoneCase, powerBank, screenProtector, tabletCase, telephone, wearable, wearableAccessory } from './mobile';

export type { Family } from './define';

/** In priority order: accessories before the devices they fit. */
const SPECIFIC: readonly Family[] = [
  musical, software, wearableAccessory, phoneCase, tabletCase, screenProtector, carGps, carAudio, carInstall,
  batteries, telephone, smartHome, powerBank, bag, inputDevice, pcComponent, storage, gamingConsole, gamingAccessory,
  chargerCable, networking, ink, printer, office, lens, optics, drone, camera, tvMount, furniture, streaming,
  videoPlayer, projector, monitor, tv, laptop, desktop, tablet, headphones, speaker, phone, wearable, homeAudio,
  refrigerator, freezer, washerDryer, dishwasher, microwave, range, vacuum, climate, appliancePart, mp3Player,
];

/** Department-wide families, most specific department first; `generic` takes anything. */
const DEPARTMENT_WIDE: readonly Family[] = [
  videoGame, smallKitchen, cameraAccessory, phoneAccessory, toy, personalCare, fitness, homeLiving, avAccessory, generic,
];

export const FAMILIES: readonly Family[] = [...SPECIFIC, ...DEPARTMENT_WIDE];

/** `name` is the category name being tested (the leaf's or an ancestor's); a family excluding the leaf's own name never takes it. */
function matches(family: Family, name: string, leafName: string, path: string): boolean {
  if (family.exclude !== undefined && (family.exclude.test(name) || family.exclude.test(leafName))) return false;
  return family.match.some((m) => m.name.test(name) && (m.within === undefined || m.within.test(path)));
}

export function familyFor(node: CategoryNode): Family {
  const path = node.path.join(' > ').toLowerCase();
  const leafName = node.name.toLowerCase();
  for (let depth = node.path.length - 1; depth >= 1; depth--) {
    const name = (node.path[depth] as string).toLowerCase();
    const found = SPECIFIC.find((family) => matches(family, name, leafName, path));
    if (found !== undefined) return found;
  }
  return DEPARTMENT_WIDE.find((family) => matches(family, leafName, leafName, path)) ?? generic;
}
