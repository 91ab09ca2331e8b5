declare module 'popular-passwords' {
  /** Popular passwords of at least 8 characters (a JSON array). */
  const passwords: string[];
  export default passwords;
}
