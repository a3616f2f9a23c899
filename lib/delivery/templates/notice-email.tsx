import { Body, Button, Container, Head, Heading, Html, Preview, Section, Text } from "@react-email/components";
import { directionOf, type Locale } from "../../i18n/locales";

export interface NoticeEmailProps {
  locale: Locale;
  preview: string;
  heading: string;
  paragraphs: string[];
  action?: { label: string; href: string };
  /** A one-time code, shown large and left-to-right on a line of its own. */
  code?: string;
}

/**
 * A plain security notice (a refused passkey, a new sign-in method...):
 * translated text in, one optional button. Callers pass already-translated
 * strings so one template serves every notice.
 */
export function NoticeEmail({ locale, preview, heading, paragraphs, action, code }: NoticeEmailProps) {
  return (
    <Html lang={locale} dir={directionOf(locale)}>
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: "#f6f7f9", fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" }}>
        <Container style={{ backgroundColor: "#ffffff", margin: "24px auto", padding: "32px", maxWidth: "480px", borderRadius: "8px" }}>
          <Heading as="h1" style={{ fontSize: "22px", color: "#111827", margin: "0 0 16px" }}>
            {heading}
          </Heading>
          {paragraphs.map((paragraph, index) => (
            <Text key={index} style={{ fontSize: "16px", lineHeight: "24px", color: "#1f2937" }}>
              {paragraph}
            </Text>
          ))}
          {code ? (
            <Text style={{ fontSize: "28px", letterSpacing: "6px", fontWeight: 700, color: "#111827", direction: "ltr" }}>{code}</Text>
          ) : null}
          {action ? (
            <Section style={{ margin: "24px 0" }}>
              <Button href={action.href} style={{ backgroundColor: "#1d4ed8", color: "#ffffff", padding: "12px 24px", borderRadius: "6px" }}>
                {action.label}
              </Button>
            </Section>
          ) : null}
        </Container>
      </Body>
    </Html>
  );
}

NoticeEmail.PreviewProps = {
  locale: "en",
  preview: "A passkey was refused",
  heading: "We refused a sign-in with one of your passkeys",
  paragraphs: ["Its counter went backwards, which can mean it was copied."],
  action: { label: "Review your passkeys", href: "http://localhost:3000/en/settings/security" },
} satisfies NoticeEmailProps;
