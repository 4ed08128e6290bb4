/** Phones and what goes with them, wearables, home telephones. */
import { ACCESSORY_WORDS, brand, COLORS, type Family, measure, num, pick, titleMeasure } from './define';
import { PHONES, TABLETS, WATCHES } from './devices';

const CARRIERS = ['Unlocked', 'Verizon', 'AT&T', 'T-Mobile', 'Sprint', 'Boost Mobile', 'Cricket Wireless', 'Tracfone', 'Straight Talk', 'Simple Mobile', 'Total Wireless', 'Visible'];

export const phone: Family = {
  id: 'phone',
  noun: 'Cell Phone',
  match: [{ name: /(?<!head|ear|speaker)phones?\b|iphone|galaxy|smartphone|handsets?|pixel|pre-owned|refurbished/, within: /cell phones|mobile phones|smartphones/ }],
  exclude: new RegExp(`${ACCESSORY_WORDS.source}|flashes|lights|lenses|tripods|selfie|headsets?`),
  brands: [
    brand('Apple', 'M@@@#LL/A', 'iPhone:15 Pro Max,15 Pro,15 Plus,15,14,13,SE#iphone$899', 4),
    brand('Samsung', 'SM-S9##U', 'Galaxy S:Galaxy S24 Ultra,Galaxy S24+,Galaxy S24,Galaxy S23 FE#galaxy$899|Galaxy Z:Galaxy Z Fold5,Galaxy Z Flip5#galaxy$1299|Galaxy A:Galaxy A54 5G,Galaxy A15 5G,Galaxy A25 5G#galaxy$299|Galaxy Note:Galaxy Note20 Ultra#galaxy#note$999', 3.5),
    brand('Google', 'GA0####-US', 'Pixel:8 Pro,8,8a,7a#pixel$649', 2),
    brand('Motorola', 'PA@@00##US', 'moto g:Power 5G,Stylus 5G,Play#moto$229|razr:2024,razr+#moto$799|edge:2024#moto$499', 2),
    brand('OnePlus', 'CPH2###', 'OnePlus:12,12R,Nord N30 5G$599', 1),
    brand('TCL', 'T###@', '40 XL$169|50 XE 5G$199', 0.6),
    brand('Nokia', 'TA-14##', 'G310 5G$179|C300$99', 0.4),
    brand('BlackBerry', 'RH@-###', 'KEYone$349|Key2$449', 0.2),
    brand('Tracfone', 'TF@###@@C@@', 'Samsung Galaxy A03s#prepaid$79|Motorola moto g Play#prepaid$69', 0.6),
  ],
  price: { median: 650, sigma: 0.55 },
  attributes: [
    measure('storage', ['64 GB', '128 GB', '256 GB', '512 GB', '1 TB'], { weights: [2, 5, 4, 1.5, 0.4], title: 'descriptor', titleText: (o) => titleMeasure(o.value, o.unit) }),
    pick('carrier', CARRIERS, { weights: [5, 4, 4, 3, 1, 1, 1, 1, 1, 1, 0.5, 0.5], title: 'suffix', titleText: (o) => `(${o.value})` }),
    pick('color', ['Black', 'Natural Titanium', 'Blue', 'Pink', 'Green', 'Phantom Black', 'Cream', 'Obsidian', 'Porcelain', 'Midnight', 'Starlight', 'Yellow'], { title: 'suffix' }),
    num('screen_size', 'in', [5.4, 6.1, 6.2, 6.5, 6.7, 6.8, 7.6]),
    num('megapixels', 'MP', [12, 48, 50, 64, 108, 200]),
    pick('operating_system', ['iOS', 'Android']),
  ],
  features: ['5G', 'Face ID', 'Fast Charging', 'Wireless Charging', 'Water Resistant', 'eSIM', 'Night Mode Camera', 'S Pen Support'],
  titleTemplate: '{brand} - {model} {descriptors} {noun}{suffix}',
  pitches: ['The {brand} {model} combines a brilliant display with an advanced camera system.', 'Stay connected all day with the {brand} {model}.'],
};

const caseLines = 'Defender Series#rugged|Commuter Series|Symmetry Series#slim|Statement Series#clear';

export const phoneCase: Family = {
  id: 'phone_case',
  noun: 'Case',
  match: [{ name: /\bcases?\b|clips?\b|holsters?|skins?\b|covers?\b|armband/, within: /cell phone|iphone|galaxy|smartphone|mp3|ipod|smartwatch/ }],
  brands: [
    brand('OtterBox', '77-#####', caseLines, 3),
    brand('Speck', '1#####-####', 'Presidio2 Grip|Presidio Perfect-Clear#clear|CandyShell', 2),
    brand('Incipio', 'IPH-####-@@@', 'DualPro|Organicore|Duo', 1.5),
    brand('LifeProof', '77-#####', 'FRĒ#waterproof|WAKE', 1),
    brand('Apple', 'M@@@#ZM/A', 'Silicone Case with MagSafe|Clear Case with MagSafe#clear|FineWoven Case', 1.5),
    brand('Samsung', 'EF-@@###@@@', 'Silicone Case|Clear Standing Cover#clear|Smart View Wallet', 1.5),
    brand('Google', 'GA0####', 'Pixel Case', 0.8),
    brand('ZAGG', '7020#####', 'Crystal Palace#clear|Denali', 1),
    brand('kate spade new york', 'KSIPH-###-@@@', 'Protective Hardshell|Defensive Hardshell', 1),
    brand('Ballistic', '@@####-@###', 'Tough Jacket|Hard Core#rugged', 0.6),
    brand('Insignia', 'NS-@@###@', 'Hard Shell Case|Wallet Case', 1.2),
    brand('Best Buy essentials', 'BE-@@###', 'Clear Case#clear|Slim Case#slim', 1),
    brand('Casetify', 'CTF-####', 'Impact Case|Mirror Case', 0.6),
    brand('Spigen', 'ACS0####', 'Tough Armor#rugged|Ultra Hybrid#clear|Liquid Air#slim', 1),
    brand('Pelican', 'PP0####', 'Shield#rugged|Marine#waterproof', 0.6),
  ],
  price: { median: 35, sigma: 0.45 },
  attributes: [
    pick('material', ['Silicone', 'Polycarbonate', 'TPU', 'Leather', 'Synthetic Rubber', 'Recycled Plastic']),
    pick('color', [...COLORS.bright, 'Clear', 'Charcoal', 'Blue Green'], { title: 'suffix' }),
    pick('form_factor', ['Case', 'Wallet Case', 'Folio', 'Holster', 'Armband', 'Clip'], { presence: 0.3 }),
  ],
  devices: [...PHONES, ...WATCHES.slice(0, 2)],
  features: ['MagSafe Compatible', 'Drop Protection', 'Raised Edges', 'Textured Grip', 'Antimicrobial', 'Wireless Charging Compatible', 'Slim Profile', 'Waterproof'],
  titleTemplate: '{brand} - {model} {descriptors} {noun} for {device}{suffix}',
  pitches: ['Protect your phone in style with the {brand} {model} {noun_l}.', 'The {brand} {model} {noun_l} guards against drops, scratches and bumps.'],
};

export const tabletCase: Family = {
  id: 'tablet_case',
  noun: 'Case',
  match: [{ name: /case|cover|folio|sleeve|keyboards?|stand|mount|stylus|pens?$|dock/, within: /ipad|tablet accessories|e-reader|kindle|> tablets >/ }],
  brands: [
    brand('Apple', 'M@@@#ZM/A', 'Smart Folio#folio|Magic Keyboard#keyboard|Apple Pencil#stylus', 2),
    brand('Logitech', '920-0####', 'Combo Touch#keyboard#folio|Slim Folio#keyboard#folio|Crayon#stylus', 2),
    brand('OtterBox', '77-#####', 'Defender Series|Symmetry Series Folio#folio', 2),
    brand('Incase', 'INMB1####-@@@', 'Book Jacket#folio|Icon Sleeve#sleeve', 1),
    brand('Speck', '1#####-####', 'Balance Folio#folio|StyleFolio#folio', 1),
    brand('Zugu', 'ZG-####', 'Alpha Case', 0.6),
    brand('Griffin', 'GB#####', 'Survivor#rugged|Airstrap', 0.6),
    brand('Samsung', 'EF-@@###@@@', 'Book Cover Keyboard#keyboard#folio|S Pen#stylus', 1),
    brand('Amazon', 'B0@@####@@', 'Fire Tablet Cover#cover|Kindle Paperwhite Cover#cover', 1),
    brand('Insignia', 'NS-@@###@', 'Folio Case#folio|Kids Case', 1),
    brand('Belkin', '@@@###', 'Stand Mount#stand', 0.6),
  ],
  price: { median: 45, sigma: 0.6 },
  attributes: [
    pick('material', ['Polyurethane', 'Polycarbonate', 'Leather', 'Microfiber', 'Silicone', 'Fabric']),
    pick('color', [...COLORS.neutral, 'Blue', 'Pink', 'Red', 'Sage'], { title: 'suffix' }),
  ],
  devices: TABLETS,
  features: ['Auto Sleep/Wake', 'Pencil Holder', 'Multi-Angle Stand', 'Backlit Keys', 'Drop Protection', 'Magnetic Closure'],
  titleTemplate: '{brand} - {model} {descriptors} {noun} for {device}{suffix}',
  pitches: ['The {brand} {model} keeps your tablet protected and ready to work.', 'Carry your tablet with confidence in the {brand} {model}.'],
};

export const screenProtector: Family = {
  id: 'screen_protector',
  noun: 'Screen Protector',
  match: [{ name: /screen protect|privacy screen|screen foils?/ }],
  brands: [
    brand('ZAGG', '2000#####', 'InvisibleShield Glass Elite|InvisibleShield Ultra Clear|InvisibleShield Glass XTR3', 3),
    brand('Insignia', 'NS-@@###@', 'Glass Screen Protector', 1.5),
    brand('Best Buy essentials', 'BE-@@###', 'Tempered Glass', 1),
    brand('OtterBox', '77-#####', 'Alpha Glass|Amplify Glass', 1.5),
    brand('Belkin', 'OVA###', 'UltraGlass 2|ScreenForce', 1),
    brand('Spigen', 'AGL0####', 'GlasTR EZ Fit', 0.8),
    brand('3M', 'PF###W9B', 'Privacy Filter#privacy', 0.6),
  ],
  price: { median: 30, sigma: 0.45 },
  attributes: [
    pick('material', ['Tempered Glass', 'Film', 'Hybrid Glass', 'Privacy Glass']),
    num('pack_size', 'count', [1, 2, 3], { weights: [5, 2, 1] }),
  ],
  devices: [...PHONES, ...TABLETS, ...WATCHES.slice(0, 2)],
  features: ['Scratch Resistant', 'Easy Install Tray', 'Bubble-Free', 'Case Friendly', 'Anti-Glare', 'Blue Light Filter'],
  titleTemplate: '{brand} - {model} {descriptors} {noun} for {device}{suffix}',
  pitches: ['Keep your screen clear and scratch-free with the {brand} {model}.', 'The {brand} {model} installs in seconds and protects against everyday wear.'],
};

export const chargerCable: Family = {
  id: 'charger_cable',
  noun: 'Cable',
  match: [{ name: /charger|charging|cables?\b|cords?\b|adapters?\b|docks?\b|hubs?\b|connectors?|splitters?|couplers?|switchers?|switches$|wire\b|extension|kvm|ps\/2|firewire|lightning/ }],
  brands: [
    brand('Anker', 'A####', 'PowerLine III#cable|Nano#charger|PowerWave#wireless|PowerExpand#hub#dock', 2.5),
    brand('Belkin', '@@@###bt##', 'BoostCharge Pro#charger#wireless|Connect#hub#dock|DuraTek#cable', 2.5),
    brand('Apple', 'M@@@#AM/A', 'USB-C Charge Cable|20W USB-C Power Adapter|MagSafe Charger#wireless|Lightning to USB-C Cable#lightning', 2),
    brand('Samsung', 'EP-@@####', 'Super Fast Wireless Charger#wireless|25W Power Adapter#charger|USB-C Cable#cable', 1.5),
    brand('Insignia', 'NS-@@###@', 'USB-C Cable#cable|Wall Charger#charger|HDMI Cable#hdmi|Optical Cable#optical|A/V Switch#switch|#video#composite#component#coax#s-video#audio#splitter#coupler', 2.5),
    brand('Rocketfish', 'RF-@@###', 'HDMI Cable#hdmi|Speaker Wire#wire#speaker|Subwoofer Cable#subwoofer', 2),
    brand('Dynex', 'DX-@@###', 'USB Hub#hub|Ethernet Cable#network#ethernet|Coaxial Cable#coax', 1),
    brand('Monster', 'MNS-####', 'Ultra High Speed HDMI#hdmi|Speaker Cable#speaker', 0.8),
    brand('mophie', '4094##', 'Speedport#charger|3-in-1 Wireless Stand#wireless', 1),
    brand('UGREEN', '@@###', 'Nexode#charger|USB-C Hub#hub', 0.8),
    brand('StarTech', '@@@###@@', 'USB-C Dock#dock|DisplayPort Cable#cable|KVM Switch#kvm', 0.8),
    brand('Scosche', '@@####', 'PowerVolt#charger#car|StrikeLine#cable', 0.8),
    brand('Best Buy essentials', 'BE-@@###', '|USB-A to USB-C Cable#cable|Car Charger#car', 1),
  ],
  price: { median: 25, sigma: 0.6 },
  attributes: [
    pick('connector_type', ['HDMI', 'RCA', '3.5mm', 'Optical', 'Coaxial', 'DisplayPort', 'Component', 'S-Video'], { when: /hdmi|a\/v|video|audio|optical|coax|component|composite|s-video|subwoofer|speaker|monitor|av |fiber|digital|splitter|coupler|switcher|auxiliary|fm/, title: 'descriptor' }),
    pick('connector_type', ['Ethernet', 'USB-A', 'USB-C', 'Thunderbolt 4', 'FireWire', 'SATA', 'PS/2'], { when: /network|ethernet|usb|kvm|hub|dock|firewire|serial|printer|power cables|ps\/2|cable installation/, title: 'descriptor' }),
    pick('connector_type', ['USB-C', 'USB-A to USB-C', 'Lightning', 'Micro USB', 'MagSafe', 'Qi2'], { title: 'descriptor' }),
    num('cable_length', 'ft', [1, 3, 4, 6, 10, 12, 25, 50], { when: /cable|cord|wire|extension/, title: 'prefix', titleText: (o) => `${o.value}'` }),
    num('wattage', 'W', [12, 15, 20, 25, 30, 45, 65, 100, 140], { when: /charger|adapter|charging|power/, title: 'descriptor' }),
    pick('color', ['Black', 'White', 'Gray', 'Blue'], { presence: 0.7 }),
  ],
  features: ['Fast Charging', 'Braided Jacket', 'Power Delivery', 'Gold-Plated Connectors', '4K at 60Hz', 'Foldable Plug', 'Tangle-Free', 'Qi2 Certified'],
  pitches: ['Power up and connect with the {brand} {model}.', 'The {brand} {model} {noun_l} is built for fast, reliable connections.'],
};

export const powerBank: Family = {
  id: 'power_bank',
  noun: 'Portable Charger',
  match: [{ name: /power pack|portable charger|power bank|battery charger case|battery case|alternative power|solar/ }],
  brands: [
    brand('Anker', 'A####', 'PowerCore 10000|Prime 20000|MagGo', 3),
    brand('mophie', '4094##', 'powerstation plus|juice pack#case|snap+', 2),
    brand('Belkin', 'BPB0##', 'BoostCharge Pro', 1.5),
    brand('ZAGG', '1041####', 'Mag Wallet|Go Plus', 1),
    brand('myCharge', '@@###', 'AdventureUltra|HubPlus', 0.8),
    brand('Insignia', 'NS-@@###', 'Portable Charger', 1.2),
    brand('Goal Zero', '2####', 'Sherpa#solar|Nomad#solar|Yeti#solar', 0.6),
  ],
  price: { median: 45, sigma: 0.5 },
  attributes: [
    num('capacity', 'mAh', [5000, 10000, 15000, 20000, 26800], { title: 'prefix', titleText: (o) => `${o.value}mAh` }),
    num('wattage', 'W', [15, 20, 30, 45, 65]),
    pick('connector_type', ['USB-C', 'USB-C + USB-A', 'Lightning', 'Wireless (Qi)']),
    pick('color', ['Black', 'White', 'Blue', 'Pink'], { title: 'suffix' }),
  ],
  features: ['Pass-Through Charging', 'LED Charge Indicator', 'Charges Two Devices', 'Airline Friendly', 'MagSafe Compatible'],
  pitches: ['Never run out of battery with the {brand} {model}.', 'Keep your phone charged on the go with the {brand} {model} {noun_l}.'],
};

export const phoneAccessory: Family = {
  id: 'phone_accessory',
  noun: 'Phone Accessory',
  match: [{ name: /./, within: /^cell phones/ }],
  brands: [
    brand('PopSockets', '80####', 'PopGrip#grip|PopWallet+#wallet', 1.5),
    brand('iOttie', 'HLCRIO1##', 'Easy One Touch#mount|Velox#mount', 1.5),
    brand('Belkin', '@@@###', 'Car Vent Mount#mount|Selfie Stick#selfie', 1),
    brand('Tile', 'RE-4####', 'Mate#tracker#tags|Pro#tracker#tags', 1.2),
    brand('Apple', 'M@@@#AM/A', 'AirTag#tracker#tags', 1.2),
    brand('Samsung', 'EI-@####', 'Galaxy SmartTag2#tracker#tags|Galaxy Watch#smartwatch|Gear S3#smartwatch', 1),
    brand('weBoost', '47####', 'Drive Reach#signal|Home Room#signal', 0.8),
    brand('Scosche', '@@####', 'MagicMount#mount', 1),
    brand('Olloclip', 'OC-####', 'Macro Pro Lens Set#lens', 0.5),
    brand('Joby', 'JB01###', 'GripTight#tripod|TelePod#selfie', 0.6),
    brand('Insignia', 'NS-@@###', '|Phone Mount#mount|Cleaning Kit#care', 1),
    brand('Jabra', '100-9####', 'Talk 15#headset|Speak 510#speakerphone', 0.6),
    brand('Tracfone', 'TF@####', 'Airtime Card#prepaid', 0.4),
  ],
  price: { median: 30, sigma: 0.6 },
  attributes: [
    pick('color', [...COLORS.neutral, 'Blue', 'Pink'], { presence: 0.8, title: 'suffix' }),
    pick('connectivity', ['Bluetooth', 'MagSafe', 'Magnetic', 'Universal'], { presence: 0.6 }),
  ],
  devices: PHONES,
  features: ['One-Handed Operation', 'Magnetic Attachment', 'Universal Fit', 'Find My Compatible', 'Replaceable Battery'],
  pitches: ['Get more from your phone with the {brand} {model}.', 'The {brand} {model} is a smart addition to your everyday carry.'],
};

export const wearable: Family = {
  id: 'wearable',
  noun: 'Smartwatch',
  match: [{ name: /watch|smartwatch|fitness tracker|activity tracker|pedometer|pet tracking|virtual reality headsets/ }],
  exclude: ACCESSORY_WORDS,
  brands: [
    brand('Apple', 'M@@@#LL/A', 'Apple Watch Series 9#apple watch|Apple Watch SE#apple watch|Apple Watch Ultra 2#apple watch|Apple Watch Nike#apple watch#nike', 4),
    brand('Samsung', 'SM-R9##NZKAXAA', 'Galaxy Watch6|Galaxy Watch6 Classic|Galaxy Watch FE|Gear S3#gear', 2.5),
    brand('Fitbit', 'FB###BKBK-US', 'Charge 6#tracker#activity|Inspire 3#tracker#activity|Versa 4|Sense 2|Ace 3#kids', 2.5),
    brand('Garmin', '010-0####-00', 'Forerunner 265#gps|Venu 3|fenix 7#gps|vivoactive 5|vivofit jr. 3#kids#tracker|Approach S12#golf', 2),
    brand('Google', 'GA0####-US', 'Pixel Watch 2', 1),
    brand('Amazfit', 'W2###US1N', 'GTR 4|Bip 5|Band 7#tracker', 0.8),
    brand('Withings', 'HWA09-@@@@', 'ScanWatch 2|Steel HR', 0.5),
    brand('Meta', '899-00###', 'Quest 3#virtual reality|Quest 3S#virtual reality', 0.8),
    brand('Whistle', 'WGT####', 'Go Explore#pet', 0.3),
  ],
  price: { median: 260, sigma: 0.55 },
  attributes: [
    num('case_size', 'mm', [40, 41, 42, 44, 45, 47, 49], { title: 'prefix', titleText: (o) => `${o.value}mm` }),
    pick('connectivity', ['GPS', 'GPS + Cellular', 'Bluetooth', 'Wi-Fi + Bluetooth'], { title: 'descriptor', titleText: (o) => `(${o.value})` }),
    num('battery_life', 'days', [1, 2, 5, 7, 14]),
    pick('color', ['Midnight', 'Starlight', 'Silver', 'Black', 'Graphite', 'Pink', 'Blue', 'Green'], { title: 'suffix' }),
  ],
  features: ['Heart Rate Monitoring', 'Sleep Tracking', 'Blood Oxygen', 'ECG App', 'Water Resistant to 50m', 'Fall Detection', 'Contactless Payments', 'Built-in GPS'],
  pitches: ['Track workouts, sleep and health metrics with the {brand} {model}.', 'Stay connected and motivated with the {brand} {model} on your wrist.'],
};

export const wearableAccessory: Family = {
  id: 'wearable_accessory',
  noun: 'Band',
  match: [{ name: /band|strap|charger|charging|dock|stand|clip|necklace|adapter|cable|bumper|case/, within: /watch|tracker|^wearable|fitness/ }],
  brands: [
    brand('Apple', 'M@@@#AM/A', 'Sport Band#band|Sport Loop#band|Solo Loop#band|Magnetic Fast Charger#charger', 2),
    brand('Samsung', 'ET-@@###', 'Sport Band#band|Hybrid Leather Band#band', 1),
    brand('Fitbit', 'FB###ABBKL', 'Classic Band#band|Sport Band#band|Charging Cable#charger', 1.5),
    brand('Insignia', 'NS-@@###', 'Nylon Band#band|Charging Stand#stand#dock', 1.5),
    brand('Speck', '1#####-####', 'Presidio Case#case', 0.6),
    brand('Griffin', 'GB#####', 'Uniband#band', 0.6),
    brand('Nomad', 'NM01####', 'Sport Band#band|Base Station#stand', 0.6),
    brand('Belkin', 'WIZ0##', 'BoostCharge Pro#charger#dock', 0.8),
  ],
  price: { median: 40, sigma: 0.5 },
  attributes: [
    pick('material', ['Fluoroelastomer', 'Nylon', 'Leather', 'Stainless Steel', 'Silicone']),
    pick('color', ['Black', 'Midnight', 'Starlight', 'Pink', 'Blue', 'Red', 'Olive', 'Clay'], { title: 'suffix' }),
  ],
  devices: WATCHES,
  features: ['Quick-Release Pins', 'Sweat Resistant', 'Magnetic Clasp', 'Fast Charging'],
  titleTemplate: '{brand} - {model} {descriptors} {noun} for {device}{suffix}',
  pitches: ['Personalize your watch with the {brand} {model}.', 'The {brand} {model} is comfortable for workouts and all-day wear.'],
};

export const telephone: Family = {
  id: 'telephone',
  noun: 'Cordless Phone',
  match: [{ name: /./, within: /telephones & communication|large button telephones/ }],
  brands: [
    brand('Panasonic', 'KX-TG@####@', 'KX-TGE Series#cordless|KX-TS Series#corded|Link2Cell#cordless', 2.5),
    brand('VTech', 'CS####-#', 'CS6719#cordless|DS6151#cordless|Careline#special|Expansion Handset#handset', 2),
    brand('AT&T', 'CL#####', 'CL82207#cordless|TL96273#cordless|Corded Phone#corded', 1.5),
    brand('Motorola', 'T###', 'Talkabout T470#two-way#radio|Talkabout T107#two-way#radio', 1.5),
    brand('Midland', 'GXT####', 'GXT1000VP4#two-way#radio|T71VP3#two-way#radio', 1),
    brand('Cobra', 'ACXT###', 'ACXT645#two-way#radio', 0.6),
    brand('Poly', '2####-###', 'VVX 250#voip#multi-line|Trio 8300#conferencing', 0.8),
    brand('Ooma', '100-####-###', 'Telo#voip', 0.6),
    brand('Clarity', '5####.###', 'Amplified Phone#special', 0.5),
  ],
  price: { median: 60, sigma: 0.6 },
  attributes: [
    num('pack_size', 'handsets', [1, 2, 3, 4, 5], { title: 'suffix', titleText: (o) => `${o.value}-Handset` }),
    pick('connectivity', ['DECT 6.0', 'Corded', 'VoIP', 'FRS/GMRS']),
    pick('color', ['Black', 'Silver', 'White'], { presence: 0.7 }),
  ],
  features: ['Caller ID', 'Answering System', 'Call Block', 'Bluetooth Link-to-Cell', 'Amplified Volume', 'Weather Alerts', 'Long Range'],
  pitches: ['Stay in touch at home with the {brand} {model}.', 'The {brand} {model} delivers clear calls with simple controls.'],
};

