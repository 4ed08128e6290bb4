/**
 * A small stand-in for Best Buy's taxonomy, for checkouts without ../shared/data: eight departments
 * of an electronics and appliance store. Ids are positional ("bi02-01-03"), so they stay stable while
 * the tree does.
 */
import type { CategoryPathEntry } from '../taxonomy';

type Tree = readonly [name: string, children?: readonly Tree[]];

const TREE: readonly Tree[] = [
  ['TV & Video', [
    ['Televisions', [['4K Ultra HD TVs'], ['OLED TVs']]],
    ['Streaming Media Players'],
    ['Projectors'],
    ['TV Wall Mounts'],
  ]],
  ['Computers & Tablets', [
    ['Laptops', [['Windows Laptops'], ['MacBooks'], ['Chromebooks'], ['Gaming Laptops']]],
    ['Desktop Computers'],
    ['Tablets'],
    ['Monitors'],
    ['Computer Accessories', [['Mice & Keyboards'], ['External Hard Drives'], ['Wi-Fi Routers']]],
    ['Printers & Ink', [['Printers'], ['Ink & Toner']]],
  ]],
  ['Phones & Wearables', [
    ['Cell Phones', [['Unlocked Cell Phones'], ['Prepaid Cell Phones']]],
    ['Phone Accessories', [['Phone Cases'], ['Chargers & Cables'], ['Portable Chargers']]],
    ['Smartwatches'],
  ]],
  ['Audio', [
    ['Headphones', [['Wireless Earbuds'], ['Over-Ear Headphones']]],
    ['Speakers', [['Bluetooth Speakers'], ['Smart Speakers'], ['Sound Bars']]],
  ]],
  ['Cameras', [
    ['Digital Cameras', [['Mirrorless Cameras'], ['DSLR Cameras']]],
    ['Action Cameras'],
    ['Camera Lenses'],
    ['Memory Cards'],
  ]],
  ['Video Games', [
    ['Consoles'],
    ['Games'],
    ['Gaming Accessories', [['Controllers'], ['Gaming Headsets']]],
  ]],
  ['Appliances', [
    ['Refrigerators', [['French Door Refrigerators'], ['Top-Freezer Refrigerators'], ['Mini Fridges']]],
    ['Washers & Dryers', [['Washers'], ['Dryers']]],
    ['Ranges & Cooktops', [['Ranges'], ['Cooktops']]],
    ['Dishwashers'],
    ['Microwaves'],
    ['Small Kitchen Appliances', [['Coffee Makers'], ['Blenders'], ['Air Fryers']]],
    ['Vacuums', [['Robot Vacuums'], ['Stick Vacuums']]],
  ]],
  ['Smart Home', [
    ['Smart Lighting'],
    ['Security Cameras'],
    ['Video Doorbells'],
    ['Smart Thermostats'],
  ]],
];

function flatten(trees: readonly Tree[], parent: readonly CategoryPathEntry[], prefix: string, out: CategoryPathEntry[][]): void {
  trees.forEach(([name, children], i) => {
    const id = `${prefix}${prefix === 'bi' ? '' : '-'}${String(i + 1).padStart(2, '0')}`;
    const path = [...parent, { id, name }];
    out.push(path);
    if (children !== undefined) flatten(children, path, id, out);
  });
}

/** Every category's path from its department, in tree order (the shape the taxonomy file states). */
export const BUILTIN_TAXONOMY_PATHS: readonly (readonly CategoryPathEntry[])[] = (() => {
  const out: CategoryPathEntry[][] = [];
  flatten(TREE, [], 'bi', out);
  return out;
})();
