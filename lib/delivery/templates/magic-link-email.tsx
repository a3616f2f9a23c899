import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import { createTranslator } from "next-intl";
import { directionOf, type Locale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";

export interface MagicLinkEmailProps {
  locale: Locale;
  link: string;
  code: string;
  /** "Firefox · Windows" */
  browser: string;
  /** Country name in the email's language, when known. */
  place: string | null;
  /** The request's time, formatted for the email's language. */
  time: string;
}

/** The sign-in email: one button, the same link spelled out, the code, and who asked. */
export function MagicLinkEmail({ locale, link, code, browser, place, time }: MagicLinkEmailProps) {
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.magicLink" });
  const dir = directionOf(locale);
  return (
    <Html lang={locale} dir={dir}>
      <Head />
      <Preview>{t("preview")}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={styles.heading}>
            {t("heading")}
          </Heading>
          <Text style={styles.text}>{t("intro")}</Text>
          <Section style={styles.buttonRow}>
            <Button href={link} style={styles.button}>
              {t("button")}
            </Button>
          </Section>
          <Text style={styles.text}>{t("codeIntro")}</Text>
          <Text style={styles.code}>{code}</Text>
          <Hr style={styles.rule} />
          <Text style={styles.small}>
            {place ? t("contextWithPlace", { browser, place, time }) : t("context", { browser, time })}
          </Text>
          <Text style={styles.small}>{t("notYou")}</Text>
          <Text style={styles.small}>{t("linkFallback")}</Text>
          <Text style={styles.link}>{link}</Text>
        </Container>
      </Body>
    </Html>
  );
}

MagicLinkEmail.PreviewProps = {
  locale: "en",
  link: "http://localhost:3000/en/magic-link?token=preview-token",
  code: "123456",
  browser: "Firefox · Windows",
  place: "Spain",
  time: "22 Nov 2026, 10:00 UTC",
} satisfies MagicLinkEmailProps;

const styles = {
  body: { backgroundColor: "#f6f7f9", fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" },
  container: { backgroundColor: "#ffffff", margin: "24px auto", padding: "32px", maxWidth: "480px", borderRadius: "8px" },
  heading: { fontSize: "22px", color: "#111827", margin: "0 0 16px" },
  text: { fontSize: "16px", lineHeight: "24px", color: "#1f2937" },
  buttonRow: { margin: "24px 0" },
  button: { backgroundColor: "#1d4ed8", color: "#ffffff", padding: "12px 24px", borderRadius: "6px", fontSize: "16px", textDecoration: "none" },
  code: { fontSize: "28px", letterSpacing: "6px", fontWeight: 700, color: "#111827", direction: "ltr" as const },
  rule: { borderColor: "#e5e7eb", margin: "24px 0" },
  small: { fontSize: "13px", lineHeight: "20px", color: "#4b5563" },
  link: { fontSize: "12px", color: "#4b5563", wordBreak: "break-all" as const, direction: "ltr" as const },
};
