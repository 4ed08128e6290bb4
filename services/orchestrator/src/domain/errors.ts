/** Input the schema accepted but the search cannot: becomes a 400 naming `field`. */
export class InvalidParameter extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidParameter';
  }
}
