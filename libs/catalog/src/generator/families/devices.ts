/** Devices that accessories are made for, shared by the accessory families. */
import { devices } from './define';

export const PHONES = devices(
  'phone',
  'Apple iPhone:15 Pro Max,15 Pro,15 Plus,15,14 Pro,14,13,SE',
  'Samsung Galaxy:S24 Ultra,S24+,S24,S23 FE,Z Flip5,Z Fold5,A54,A15',
  'Google Pixel:8 Pro,8,8a,7a,7',
  'Motorola moto:g Power,g Stylus,edge,razr+',
  'OnePlus:12,12R,Nord N30',
);

export const TABLETS = devices(
  'tablet',
  'Apple iPad:10th Gen,9th Gen',
  'Apple iPad Air:13-inch,11-inch',
  'Apple iPad Pro:13-inch,11-inch',
  'Apple iPad mini:6th Gen',
  'Samsung Galaxy Tab:S9,S9 FE,A9+',
  'Amazon Fire:HD 8,HD 10,Max 11',
  'Microsoft Surface:Pro 9,Pro 10,Go 4',
);

export const LAPTOPS = devices(
  'laptop',
  'Apple MacBook Air:13-inch,15-inch',
  'Apple MacBook Pro:14-inch,16-inch',
  'Microsoft Surface Laptop:13.8-inch,15-inch',
  'Dell XPS:13,14,16',
  'Laptops up to:13.3",14",15.6",17.3"',
);

export const WATCHES = devices(
  'watch',
  'Apple Watch:Series 9 41mm,Series 9 45mm,SE 40mm,SE 44mm,Ultra 2 49mm',
  'Samsung Galaxy Watch:6 40mm,6 44mm,6 Classic 47mm',
  'Fitbit:Charge 6,Versa 4,Sense 2,Inspire 3',
  'Google Pixel Watch:2',
  'Garmin:Forerunner 265,Venu 3,vivoactive 5',
);

export const CAMERAS = devices(
  'camera',
  'Canon EOS:R50,R8,R6 Mark II,Rebel T7',
  'Nikon:Z5,Z6 III,Z50,D7500',
  'Sony Alpha:a7 IV,a6400,ZV-E10',
  'Fujifilm:X-T5,X-S20,X100VI',
  'GoPro HERO:12 Black,11 Black,10 Black',
  'DJI Osmo Action:4,3',
);

export const CONSOLES = devices(
  'console',
  'PlayStation:5,5 Slim,4',
  'Xbox:Series X,Series S,One',
  'Nintendo Switch:OLED,Lite',
  'Steam Deck:OLED',
);

export const PRINTERS = devices(
  'printer',
  'HP OfficeJet Pro:9015e,8025e',
  'HP ENVY:6055e,6455e',
  'HP DeskJet:2755e,4155e',
  'Canon PIXMA:TS6420a,TR8620a,MG3620',
  'Epson Expression:XP-7100,ET-2800',
  'Epson WorkForce:WF-2950',
  'Brother MFC:J1010DW,L2750DW',
);

export const VEHICLES = devices(
  'vehicle',
  'Toyota:Camry,Corolla,RAV4,Tacoma,Tundra,Highlander',
  'Honda:Civic,Accord,CR-V,Pilot,Odyssey',
  'Ford:F-150,Mustang,Explorer,Escape,Focus',
  'Chevrolet:Silverado,Malibu,Equinox,Tahoe,Camaro',
  'Volkswagen:Jetta,Golf,Passat,Tiguan',
  'Nissan:Altima,Sentra,Rogue,Frontier',
  'Jeep:Wrangler,Grand Cherokee,Cherokee',
  'Dodge:Ram 1500,Charger,Durango',
  'Hyundai:Elantra,Sonata,Tucson',
  'Subaru:Outback,Forester,Impreza',
  'Kia:Optima,Sorento,Soul',
  'GMC:Sierra,Yukon,Acadia',
  'Saturn:Vue,Ion,Aura',
);
