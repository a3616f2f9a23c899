import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import { createTranslator } from "next-intl";
import { directionOf, type Locale } from "../../i18n/locales";
import { messagesByLocale } from "../../i18n/messages";
import { emailStyles } from "./email-styles";

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
  /** How long the link and the code work. */
  validForMinutes: number;
}

/** The sign-in email: one button, the same link spelled out, the code, and who asked. */
export function MagicLinkEmail({ locale, link, code, browser, place, time, validForMinutes }: MagicLinkEmailProps) {
  const t = createTranslator({ locale, messages: messagesByLocale[locale], namespace: "email.magicLink" });
  const dir = directionOf(locale);
  return (
    <Html lang={locale} dir={dir}>
      <Head />
      <Preview>{t("preview", { minutes: validForMinutes })}</Preview>
      <Body style={emailStyles.body}>
        <Container style={emailStyles.container}>
          <Heading as="h1" style={emailStyles.heading}>
            {t("heading")}
          </Heading>
          <Text style={emailStyles.text}>{t("intro", { minutes: validForMinutes })}</Text>
          <Section style={emailStyles.buttonRow}>
            <Button href={link} style={emailStyles.button}>
              {t("button")}
            </Button>
          </Section>
          <Text style={emailStyles.text}>{t("codeIntro")}</Text>
          <Text style={emailStyles.code}>{code}</Text>
          <Hr style={emailStyles.rule} />
          <Text style={emailStyles.small}>
            {place ? t("contextWithPlace", { browser, place, time }) : t("context", { browser, time })}
          </Text>
          <Text style={emailStyles.small}>{t("notYou")}</Text>
          <Text style={emailStyles.small}>{t("linkFallback")}</Text>
          <Text style={emailStyles.link}>{link}</Text>
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
  validForMinutes: 10,
} satisfies MagicLinkEmailProps;
